/**
 * `rollback restore`: plan from the source cluster as it is now, then (with --apply) restore to a
 * new cluster, add its writer, wait for both, and optionally cut over by renaming. The source is
 * never modified or deleted; only --cutover renames it, and only once the restored cluster is
 * available. A failure part-way is a result: the report lists what exists and how to remove it.
 */
import { PipelineError, UsageError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { formatDuration } from '../platform/log.ts';
import { AwsCallError } from '../platform/aws-errors.ts';
import type { RdsApi } from './rds-api.ts';
import { planRestore, writerOf, type RestorePlan, type RestoreTarget } from './restore-plan.ts';

export interface RestoreOptions {
  cluster: string;
  target: RestoreTarget;
  apply: boolean;
  cutover: boolean;
  /** Longest wait for the cluster, then the instance, each. Default 3 hours (large restores are slow). */
  maxWaitSeconds?: number;
  now?: () => Date;
}

export type StepStatus = 'success' | 'error' | 'skipped';

export interface RestoreStep {
  name: string;
  status: StepStatus;
  durationSeconds: number;
  message?: string;
}

export interface RestoreReport {
  plan: RestorePlan;
  applied: boolean;
  status: 'dry-run' | 'success' | 'error';
  steps: RestoreStep[];
  /** The restored cluster's endpoints, once available. */
  endpoint?: string;
  readerEndpoint?: string;
  /** Where things stand after a failure: what exists now. */
  leftovers: string[];
  /** Commands that clean up or undo what was done. */
  cleanup: string[];
}

const DEFAULT_MAX_WAIT = 3 * 3600;

/** Reads the source cluster and its writer and decides every call. Throws on a bad target or AWS error. */
export async function planFromSource(api: RdsApi, o: RestoreOptions): Promise<RestorePlan> {
  const source = await api.describeCluster(o.cluster);
  const writerId = writerOf(source);
  if (!writerId) {
    throw new UsageError(
      `cluster ${o.cluster} has no writer instance, so there is no instance class to copy. To fix this, add a writer to it or restore by hand.`,
    );
  }
  const writer = await api.describeInstance(writerId);
  return planRestore({ region: api.region, source, writer, target: o.target, cutover: o.cutover, now: (o.now ?? (() => new Date()))() });
}

export async function runRestore(api: RdsApi, o: RestoreOptions, log: Logger): Promise<RestoreReport> {
  const plan = await planFromSource(api, o);
  const report: RestoreReport = { plan, applied: o.apply, status: 'dry-run', steps: [], leftovers: [], cleanup: [] };
  if (!o.apply) return report;

  const maxWaitSeconds = o.maxWaitSeconds ?? DEFAULT_MAX_WAIT;
  const region = plan.region;
  const progress = (what: string) => (status: string, elapsed: number) =>
    log.info(`  ${what}: ${status} (${formatDuration(elapsed * 1000)} elapsed)`);

  /** Runs one step; an AWS failure ends the run as a result, anything else is a bug and is thrown. */
  const step = async (name: string, fn: () => Promise<string | void>): Promise<boolean> => {
    const started = Date.now();
    log.info(`▶ ${name}`);
    try {
      const message = (await fn()) ?? undefined;
      report.steps.push({ name, status: 'success', durationSeconds: (Date.now() - started) / 1000, message });
      return true;
    } catch (err) {
      if (!(err instanceof AwsCallError) && !(err instanceof PipelineError) && !(err instanceof UsageError)) throw err;
      report.steps.push({ name, status: 'error', durationSeconds: (Date.now() - started) / 1000, message: err.message });
      report.status = 'error';
      return false;
    }
  };
  const deleteCluster = `aws rds delete-db-cluster --db-cluster-identifier ${plan.restoredCluster} --skip-final-snapshot --region ${region}`;
  const deleteWriter = `aws rds delete-db-instance --db-instance-identifier ${plan.restoredWriter} --skip-final-snapshot --region ${region}`;

  const restored = await step(
    `restore ${plan.source.cluster} to a new cluster ${plan.restoredCluster} (RestoreDBClusterToPointInTime)`,
    async () => {
      await api.restoreClusterToPointInTime(plan.restore);
    },
  );
  if (!restored) {
    report.leftovers.push(`nothing was created; the source cluster ${plan.source.cluster} is unchanged`);
    return report;
  }
  const clusterUp = await step(`wait until cluster ${plan.restoredCluster} is available`, () =>
    api.waitClusterAvailable(plan.restoredCluster, { maxWaitSeconds, onPoll: progress(`cluster ${plan.restoredCluster}`) }),
  );
  const writerCreated =
    clusterUp &&
    (await step(`create its writer instance ${plan.restoredWriter} (${plan.createWriter.DBInstanceClass})`, async () => {
      await api.createInstance(plan.createWriter);
    }));
  const writerUp =
    writerCreated &&
    (await step(`wait until instance ${plan.restoredWriter} is available`, () =>
      api.waitInstanceAvailable(plan.restoredWriter, { maxWaitSeconds, onPoll: progress(`instance ${plan.restoredWriter}`) }),
    ));
  if (!writerUp) {
    report.leftovers.push(
      `the restored cluster ${plan.restoredCluster} exists` +
        (writerCreated
          ? ` with the instance ${plan.restoredWriter}, which did not become available`
          : ' with no instance: it serves no connections but its storage is billed'),
      `the source cluster ${plan.source.cluster} is unchanged and still serves the endpoint ${plan.source.endpoint ?? '(its endpoint)'}`,
    );
    if (writerCreated) report.cleanup.push(deleteWriter);
    report.cleanup.push(deleteCluster);
    return report;
  }
  await step(`read the endpoint of ${plan.restoredCluster}`, async () => {
    const c = await api.describeCluster(plan.restoredCluster);
    report.endpoint = c.Endpoint;
    report.readerEndpoint = c.ReaderEndpoint;
    return c.Endpoint;
  });
  if (plan.cutover) await cutover(api, plan, report, step, maxWaitSeconds, progress);
  else report.cleanup.push(`when done with it: ${deleteWriter} && ${deleteCluster}`);
  if (report.status !== 'error') report.status = 'success';
  return report;
}

type Step = (name: string, fn: () => Promise<string | void>) => Promise<boolean>;

/**
 * Renames source -> <name>-old-<time>, then restored -> <name>, so the endpoint the BI tool uses
 * (derived from the cluster's name) serves the restored data. Refuses unless the restored cluster
 * is available with its writer.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Modifying.html
 */
async function cutover(
  api: RdsApi,
  plan: RestorePlan,
  report: RestoreReport,
  step: Step,
  maxWaitSeconds: number,
  progress: (what: string) => (status: string, elapsed: number) => void,
): Promise<void> {
  const c = plan.cutover!;
  const region = plan.region;
  const ready = await step(`check that ${plan.restoredCluster} is available before the cutover`, async () => {
    const restored = await api.describeCluster(plan.restoredCluster);
    const hasWriter = (restored.DBClusterMembers ?? []).some((m) => m.IsClusterWriter);
    if (restored.Status !== 'available' || !hasWriter) {
      throw new PipelineError(
        `refusing the cutover: ${plan.restoredCluster} is '${restored.Status ?? 'unknown'}'${hasWriter ? '' : ' with no writer'}, ` +
          `not available. To fix this, wait until it is available and rename the clusters then.`,
      );
    }
  });
  if (!ready) {
    report.leftovers.push(`the restored cluster ${plan.restoredCluster} exists; the source ${plan.source.cluster} was not renamed`);
    return;
  }
  const renamedSource = await step(`rename the source ${plan.source.cluster} to ${c.oldName}`, async () => {
    await api.modifyCluster(c.renameSource);
    await api.waitClusterAvailable(c.oldName, { maxWaitSeconds, onPoll: progress(`cluster ${c.oldName}`) });
  });
  if (!renamedSource) {
    report.leftovers.push(
      `the restored cluster ${plan.restoredCluster} is available at ${report.endpoint ?? 'its endpoint'}; ` +
        `the source ${plan.source.cluster} may be renaming to ${c.oldName}: check with 'aws rds describe-db-clusters --region ${region}'`,
    );
    return;
  }
  const renamedRestored = await step(`rename the restored ${plan.restoredCluster} to ${plan.source.cluster}`, async () => {
    await api.modifyCluster(c.renameRestored);
    await api.waitClusterAvailable(plan.source.cluster, { maxWaitSeconds, onPoll: progress(`cluster ${plan.source.cluster}`) });
    const now = await api.describeCluster(plan.source.cluster);
    report.endpoint = now.Endpoint;
    report.readerEndpoint = now.ReaderEndpoint;
  });
  if (!renamedRestored) {
    report.leftovers.push(
      `the source is now named ${c.oldName}; the restored cluster is still named ${plan.restoredCluster}; ` +
        `nothing serves the name ${plan.source.cluster} until one of them takes it`,
    );
    report.cleanup.push(
      `to finish the cutover: aws rds modify-db-cluster --db-cluster-identifier ${plan.restoredCluster} ` +
        `--new-db-cluster-identifier ${plan.source.cluster} --apply-immediately --region ${region}`,
      `or to undo it: aws rds modify-db-cluster --db-cluster-identifier ${c.oldName} ` +
        `--new-db-cluster-identifier ${plan.source.cluster} --apply-immediately --region ${region}`,
    );
    return;
  }
  report.cleanup.push(
    `the old cluster ${c.oldName} is kept; once the restored data is confirmed: aws rds delete-db-instance ... for its instances, ` +
      `then aws rds delete-db-cluster --db-cluster-identifier ${c.oldName} --region ${region}`,
    `to undo the cutover: rename ${plan.source.cluster} to another name, ` +
      `then ${c.oldName} back to ${plan.source.cluster} (aws rds modify-db-cluster --new-db-cluster-identifier ... --apply-immediately)`,
  );
}
