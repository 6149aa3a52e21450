/**
 * `rollback restore`: idempotent and resumable. Every step first looks at what exists (the
 * cluster tagged restored-from/restored-to, its instances by their deterministic names) and goes
 * on from there, so a rerun after a kill, a timeout or an error finishes the same restore and a
 * rerun after success changes nothing. The source is only read.
 *
 *   plan (describe source, instances, endpoints, earlier restores) → preflight losses
 *   → RestoreDBClusterToPointInTime (or reuse) → wait available → ModifyDBCluster (what the
 *   restore call cannot take) → CreateDBInstance writer, then readers (or reuse) → wait
 *   → ModifyDBInstance (what differs) → compare every setting with the source → endpoints, IAM
 */
import { PipelineError } from '../platform/errors.ts';
import {
  clusterFixes,
  clusterSettings,
  differences,
  instanceFixes,
  instanceSettings,
  TAG_RESTORED_FROM,
  TAG_RESTORED_TO,
  tagValue,
} from './carry-over.ts';
import { iamChange, type IamChange } from './iam.ts';
import { clusterAvailable, findCluster, instancesAvailable } from './probes.ts';
import type { DBCluster, RdsApi } from './rds-api.ts';
import { pendingRestores, planRestore, type RestorePlan, type RestoreTarget } from './restore-plan.ts';
import { isAwsCode, Steps, waitContext, type Outcome, type RollbackContext, type StepResult } from './steps.ts';
import { checkBudget, waitUntil } from './waits.ts';

export interface RestoreOptions {
  cluster: string;
  target: RestoreTarget;
  apply: boolean;
  /** Keys of losses (carry-over.ts preflightLosses) the user accepts. */
  acceptLoss: readonly string[];
}

export interface RestoreReport {
  plan: RestorePlan;
  applied: boolean;
  outcome: Outcome;
  steps: StepResult[];
  /** Losses not named in --accept-loss (the run was refused). */
  refusedLosses: string[];
  endpoint?: string;
  readerEndpoint?: string;
  /** Settings still different from the source after the restore: [what, source's, restored's]. */
  differences: Array<[string, string, string]>;
  iam?: IamChange;
}

/** Minutes a step usually needs, by AWS's own figures; a step is not started with less time left. */
export const EXPECTED_MINUTES = { restore: 30, instance: 20, modify: 10, rename: 10, delete: 15 } as const;

/** Reads the source, its instances and custom endpoints, and the restores earlier runs left. */
export async function readPlan(api: RdsApi, cluster: string, target: RestoreTarget): Promise<RestorePlan> {
  const [source] = await api.describeClusters(cluster);
  if (!source) throw new PipelineError(`DescribeDBClusters returned nothing for ${cluster}. To fix this, check the identifier and region.`);
  const instances = await api.describeInstances({ clusterId: cluster });
  const endpoints = await api.describeClusterEndpoints(cluster);
  const pending = pendingRestores(await api.describeClusters(), cluster);
  return planRestore({ region: api.region, source, instances, endpoints, target, pending });
}

export async function runRestore(ctx: RollbackContext, o: RestoreOptions): Promise<RestoreReport> {
  const plan = await readPlan(ctx.api, o.cluster, o.target);
  const refusedLosses = [...new Set(plan.losses.map((l) => l.key))].filter((k) => !o.acceptLoss.includes(k));
  const report: RestoreReport = { plan, applied: o.apply, outcome: 'dry-run', steps: [], refusedLosses, differences: [] };
  if (!o.apply) return report;
  if (refusedLosses.length) {
    report.outcome = 'refused';
    return report;
  }
  const steps = new Steps(ctx);
  report.steps = steps.list;
  await applyRestore(ctx, plan, steps, report);
  report.outcome = steps.outcome;
  return report;
}

async function applyRestore(ctx: RollbackContext, plan: RestorePlan, steps: Steps, report: RestoreReport): Promise<void> {
  const { api } = ctx;
  const w = waitContext(ctx);
  const name = plan.restoredCluster;
  const mine = (c: DBCluster) =>
    tagValue(c.TagList, TAG_RESTORED_FROM) === plan.sourceName && tagValue(c.TagList, TAG_RESTORED_TO) === plan.time.toISOString();

  const created = await steps.run(`restore ${plan.sourceName} to ${plan.time.toISOString()} as cluster ${name}`, async () => {
    const existing = await findCluster(api, name);
    if (existing) {
      if (!mine(existing)) throw foreignCluster(name, plan);
      return 'reused';
    }
    checkBudget(w, 'restore the cluster', EXPECTED_MINUTES.restore * 60_000);
    try {
      await api.restoreClusterToPointInTime(plan.restore);
    } catch (err) {
      // A retried call whose first attempt got through, or a run killed right after the call.
      if (!isAwsCode(err, 'DBClusterAlreadyExistsFault')) throw err;
      const c = await findCluster(api, name);
      if (!c || !mine(c)) throw foreignCluster(name, plan);
      return 'reused';
    }
  });
  if (!created) return;
  if (!(await steps.run(`wait until cluster ${name} is available`, () => waitUntil(w, `cluster ${name}`, clusterAvailable(api, name)))))
    return;

  const fixed = await steps.run(`re-apply the source's settings the restore call does not take (ModifyDBCluster)`, async () => {
    const [restored] = await api.describeClusters(name);
    const fix = clusterFixes(plan.source, restored!);
    if (!fix) return 'reused';
    await api.modifyCluster(fix);
    await waitUntil(w, `cluster ${name}`, clusterAvailable(api, name));
    return Object.keys(fix)
      .filter((k) => k !== 'DBClusterIdentifier' && k !== 'ApplyImmediately')
      .join(', ');
  });
  if (!fixed) return;

  // The first instance of an Aurora cluster becomes its writer: the writer is made and waited
  // for before the readers, so the copy of the source's writer is the writer.
  const [writer, ...readers] = plan.instances;
  for (const group of [[writer!], readers]) {
    if (group.length === 0) continue;
    const label =
      group[0]!.role === 'writer' ? `the writer ${group[0]!.name}` : `${group.length} reader(s) ${group.map((i) => i.name).join(', ')}`;
    const made = await steps.run(`create ${label} (CreateDBInstance, the source's classes and settings)`, async () => {
      const have = new Set((await api.describeInstances({ clusterId: name })).map((i) => i.DBInstanceIdentifier));
      const missing = group.filter((i) => !have.has(i.name));
      if (missing.length === 0) return 'reused';
      checkBudget(w, 'create instances', EXPECTED_MINUTES.instance * 60_000);
      for (const i of missing) {
        try {
          await api.createInstance(i.create);
        } catch (err) {
          if (!isAwsCode(err, 'DBInstanceAlreadyExistsFault')) throw err;
        }
      }
      return `created ${missing.map((i) => i.name).join(', ')}`;
    });
    if (!made) return;
    const ids = group.map((i) => i.name);
    if (
      !(await steps.run(`wait until ${ids.join(', ')} available`, () => waitUntil(w, ids.join(', '), instancesAvailable(api, name, ids))))
    )
      return;
  }

  const instFixed = await steps.run(`re-apply instance settings that differ (ModifyDBInstance)`, async () => {
    const byName = new Map((await api.describeInstances({ clusterId: name })).map((i) => [i.DBInstanceIdentifier!, i]));
    const fixes = plan.instances.map((i) => instanceFixes(i.source, byName.get(i.name)!)).filter((f) => f !== undefined);
    if (fixes.length === 0) return 'reused';
    for (const f of fixes) await api.modifyInstance(f);
    const ids = fixes.map((f) => f.DBInstanceIdentifier!);
    await waitUntil(w, ids.join(', '), instancesAvailable(api, name, ids));
    return `modified ${ids.join(', ')}`;
  });
  if (!instFixed) return;

  await steps.run(`compare every setting with the source's`, async () => {
    const [restored] = await api.describeClusters(name);
    const byName = new Map((await api.describeInstances({ clusterId: name })).map((i) => [i.DBInstanceIdentifier!, i]));
    // The restore has its own tags on top of the source's; those are compared without them.
    report.differences.push(
      ...differences(clusterSettings(plan.source), clusterSettings(restored!)).map(
        ([k, s, r]) => [`cluster ${k}`, s, r] as [string, string, string],
      ),
    );
    for (const i of plan.instances) {
      const copy = byName.get(i.name);
      if (!copy) {
        report.differences.push([`instance ${i.name}`, i.source.DBInstanceIdentifier!, 'missing']);
        continue;
      }
      report.differences.push(
        ...differences(instanceSettings(i.source), instanceSettings(copy)).map(
          ([k, s, r]) => [`instance ${i.name} ${k}`, s, r] as [string, string, string],
        ),
      );
    }
    report.endpoint = restored!.Endpoint;
    report.readerEndpoint = restored!.ReaderEndpoint;
    report.iam = iamChange(plan.source, restored!);
    if (report.differences.length)
      throw new PipelineError(
        `${report.differences.length} setting(s) of ${name} differ from the source's (listed below). To fix this, change them with 'aws rds modify-db-cluster'/'modify-db-instance' before the cutover, or run the restore again.`,
      );
    return `all ${Object.keys(clusterSettings(plan.source)).length} cluster settings and ${plan.instances.length} instance(s) match`;
  });
}

function foreignCluster(name: string, plan: RestorePlan): PipelineError {
  return new PipelineError(
    `a cluster named ${name} exists but is not this pipeline's restore of ${plan.sourceName} to ${plan.time.toISOString()} (its ${TAG_RESTORED_FROM}/${TAG_RESTORED_TO} tags differ). To fix this, rename or delete that cluster, or restore to another time.`,
  );
}
