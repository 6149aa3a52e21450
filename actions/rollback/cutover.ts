/**
 * `rollback cutover`: the restored cluster takes the source's name, and so its endpoint, without
 * ever leaving production stranded. Only renames and what follows them; nothing is created from
 * the source's data and nothing is deleted.
 *
 *   find the restore (tags) and where an earlier attempt stopped → check it is whole
 *   → pause the daily schedule → rename source → <source>-old-<time>, wait
 *   → rename restored → <source>, wait  (on failure: rename the source back)
 *   → wait until the endpoint resolves to the restored writer → move the custom endpoints
 *   → stop the old cluster, or make it read-only → resume the daily schedule
 *
 * Each step looks at the clusters' names first, so a run killed anywhere goes on where it was.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Modifying.html
 */
import { UsageError } from '../platform/errors.ts';
import {
  clusterSettings,
  differences,
  endpointsFromTags,
  instanceSettings,
  TAG_RESTORED_FROM,
  TAG_RESTORED_TO,
  tagValue,
} from './carry-over.ts';
import { iamChange, type IamChange } from './iam.ts';
import { clusterAvailable, findCluster, instanceAvailable } from './probes.ts';
import type { DBCluster, DBInstance } from './rds-api.ts';
import {
  copyName,
  instancesInOrder,
  matchingRestore,
  oldClusterName,
  pendingRestores,
  restoredClusterName,
  writerOf,
  type RestoreTarget,
} from './restore-plan.ts';
import { EXPECTED_MINUTES } from './restore.ts';
import type { DailySchedule, Dns } from './schedule.ts';
import { Steps, waitContext, type Outcome, type RollbackContext, type StepResult } from './steps.ts';
import { checkBudget, waitUntil, type Probe } from './waits.ts';

export type OldClusterAction = 'stop' | 'read-only' | 'keep';

export interface CutoverOptions {
  cluster: string;
  /** Which restore, when there are several (default: the only one). */
  target?: RestoreTarget;
  apply: boolean;
  /** What becomes of the old cluster once the endpoint has moved. Default 'stop'. */
  oldCluster: OldClusterAction;
  /** For 'read-only': a DB parameter group with read_only = 1 for the old writer. */
  readOnlyParameterGroup?: string;
  /** The daily schedule to pause (Actions); undefined: the CLI alone, which says so. */
  schedule?: DailySchedule;
  /** Resume the schedule after a successful cutover. Default true. */
  resumeSchedule?: boolean;
  dns: Dns;
}

export interface CutoverReport {
  source: string;
  restored: string;
  oldName: string;
  time: Date;
  applied: boolean;
  outcome: Outcome;
  steps: StepResult[];
  /** Where a previous attempt stopped, in words. */
  resumedFrom?: string;
  /** True when the second rename failed and the source got its name back. */
  undone: boolean;
  endpoint?: string;
  iam?: IamChange;
  scheduleNote?: string;
  /** What the dry run would do. */
  plannedSteps: string[];
}

type Phase = 'not-started' | 'source-renamed' | 'renamed';

interface State {
  phase: Phase;
  time: Date;
}

/** Where the cutover of `source` stands, from the clusters' names and tags alone. */
async function readState(ctx: RollbackContext, source: string, target?: RestoreTarget): Promise<State> {
  const all = await ctx.api.describeClusters();
  const pending = pendingRestores(all, source);
  const current = all.find((c) => c.DBClusterIdentifier === source);
  const chosen = target ? matchingRestore(pending, target) : pending.length === 1 ? pending[0] : undefined;
  if (!target && pending.length > 1)
    throw new UsageError(
      `${pending.length} restores of ${source} wait for a cutover (${pending.map((p) => p.time.toISOString()).join(', ')}). To fix this, name one with --to TIME.`,
    );
  if (chosen) {
    const oldExists = all.some((c) => c.DBClusterIdentifier === oldClusterName(source, chosen.time));
    // The source renamed away and its name free: the first rename was done, the second not.
    return { phase: !current && oldExists ? 'source-renamed' : 'not-started', time: chosen.time };
  }
  const promotedTo =
    current && tagValue(current.TagList, TAG_RESTORED_FROM) === source ? tagValue(current.TagList, TAG_RESTORED_TO) : undefined;
  if (promotedTo && all.some((c) => c.DBClusterIdentifier === oldClusterName(source, new Date(promotedTo))))
    return { phase: 'renamed', time: new Date(promotedTo) };
  throw new UsageError(
    `there is no restore of ${source} to cut over${target?.kind === 'time' ? ` to ${target.time.toISOString()}` : ''}. To fix this, run 'pipeline rollback restore --to TIME --apply' first ('pipeline rollback status' shows the window).`,
  );
}

export async function runCutover(ctx: RollbackContext, o: CutoverOptions): Promise<CutoverReport> {
  const source = o.cluster;
  const state = await readState(ctx, source, o.target);
  const restored = restoredClusterName(source, state.time);
  const oldName = oldClusterName(source, state.time);
  const report: CutoverReport = {
    source,
    restored,
    oldName,
    time: state.time,
    applied: o.apply,
    outcome: 'dry-run',
    steps: [],
    undone: false,
    plannedSteps: planned(o, source, restored, oldName),
    resumedFrom:
      state.phase === 'source-renamed'
        ? `the source is already named ${oldName}; the restored cluster takes the name next`
        : state.phase === 'renamed'
          ? `the renames are done; going on with the endpoint and the old cluster`
          : undefined,
  };
  if (!o.apply) return report;
  const steps = new Steps(ctx);
  report.steps = steps.list;
  await applyCutover(ctx, o, state, report, steps);
  report.outcome = steps.outcome;
  return report;
}

function planned(o: CutoverOptions, source: string, restored: string, oldName: string): string[] {
  return [
    `check that ${restored} and its instances are available and every setting matches ${source}'s`,
    o.schedule
      ? `pause the daily schedule (${o.schedule.name})`
      : 'the daily schedule is not paused by the CLI: disable the daily-etl workflow first',
    `ModifyDBCluster ${source} → ${oldName} (NewDBClusterIdentifier, ApplyImmediately), wait until available`,
    `ModifyDBCluster ${restored} → ${source}, wait until available (if this fails: ${oldName} → ${source} again)`,
    `wait until the endpoint of ${source} resolves to the restored writer`,
    `move the custom endpoints of ${oldName} to ${source} (delete, then create with the same name and the copied members)`,
    o.oldCluster === 'stop'
      ? `StopDBCluster ${oldName} (closes every connection still open to the old data; AWS starts a stopped cluster again after 7 days)`
      : o.oldCluster === 'read-only'
        ? `give the writer of ${oldName} the parameter group ${o.readOnlyParameterGroup} (read_only) and reboot it`
        : `leave ${oldName} running and writable`,
    o.schedule && o.resumeSchedule !== false ? 'resume the daily schedule' : 'leave the daily schedule as it is',
  ];
}

async function applyCutover(ctx: RollbackContext, o: CutoverOptions, state: State, report: CutoverReport, steps: Steps): Promise<void> {
  const { api } = ctx;
  const w = waitContext(ctx);
  const { source, restored, oldName } = report;

  if (state.phase === 'not-started') {
    const ok = await steps.run(`check that ${restored} is whole and matches ${source}`, async () => {
      const [src] = await api.describeClusters(source);
      const [copy] = await api.describeClusters(restored);
      if (copy!.Status !== 'available') throw notReady(restored, `is '${copy!.Status}'`);
      const srcInstances = instancesInOrder(src!, await api.describeInstances({ clusterId: source }));
      const copies = new Map((await api.describeInstances({ clusterId: restored })).map((i) => [i.DBInstanceIdentifier!, i]));
      const diffs = differences(clusterSettings(src!), clusterSettings(copy!)).map(([k]) => k);
      srcInstances.forEach((i, n) => {
        const c = copies.get(copyName(restored, n));
        if (c?.DBInstanceStatus !== 'available') diffs.push(`instance ${copyName(restored, n)} ${c?.DBInstanceStatus ?? 'missing'}`);
        else diffs.push(...differences(instanceSettings(i), instanceSettings(c!)).map(([k]) => `${c!.DBInstanceIdentifier} ${k}`));
      });
      if (writerOf(copy!) !== copyName(restored, 0)) diffs.push(`writer is ${writerOf(copy!) ?? 'none'}`);
      if (diffs.length) throw notReady(restored, `is not the source's copy yet (${diffs.join('; ')})`);
      checkBudget(w, 'rename both clusters', 2 * EXPECTED_MINUTES.rename * 60_000);
    });
    if (!ok) return;
  }

  if (state.phase !== 'renamed') {
    const paused = await steps.run('pause the daily schedule', async () => {
      if (!o.schedule) {
        report.scheduleNote = 'the CLI does not pause the daily schedule: make sure no daily run starts during the cutover';
        return 'not paused (no schedule given)';
      }
      await o.schedule.pause();
      report.scheduleNote = `${o.schedule.name} is disabled while the clusters are renamed`;
      return `${o.schedule.name} disabled`;
    });
    if (!paused) return;
  }

  if (state.phase === 'not-started') {
    const renamed = await steps.run(`rename the source ${source} to ${oldName}`, async () => {
      await api.modifyCluster({ DBClusterIdentifier: source, NewDBClusterIdentifier: oldName, ApplyImmediately: true });
      await waitUntil(w, `cluster ${oldName}`, clusterAvailable(api, oldName));
    });
    if (!renamed) {
      if (steps.outcome === 'error') await restoreSourceName(ctx, steps, report);
      await resumeIfWhole(ctx, o, steps, report);
      return;
    }
  }

  if (state.phase !== 'renamed') {
    const second = await steps.run(`rename the restored ${restored} to ${source}`, async () => {
      await api.modifyCluster({ DBClusterIdentifier: restored, NewDBClusterIdentifier: source, ApplyImmediately: true });
      await waitUntil(w, `cluster ${source}`, clusterAvailable(api, source));
    });
    if (!second) {
      if (steps.outcome === 'error') await restoreSourceName(ctx, steps, report);
      await resumeIfWhole(ctx, o, steps, report);
      return;
    }
  }

  const [now] = await api.describeClusters(source);
  report.endpoint = now!.Endpoint;
  const old = await findCluster(api, oldName);
  if (old) report.iam = iamChange(old, now!);

  const moved = await steps.run(`wait until ${now!.Endpoint} resolves to the restored writer`, async () => {
    const [writer] = await api.describeInstances({ id: copyName(restored, 0) });
    await waitUntil(w, `DNS of ${now!.Endpoint}`, dnsPoints(o.dns, now!.Endpoint!, writer!));
  });
  if (!moved) return;

  if (old && !(await moveEndpoints(ctx, steps, report, old, now!))) return;

  if (old && o.oldCluster !== 'keep') {
    const quiet = await steps.run(
      o.oldCluster === 'stop' ? `stop the old cluster ${oldName}` : `make the old cluster ${oldName} read-only`,
      async () => {
        const c = (await findCluster(api, oldName))!;
        if (o.oldCluster === 'stop') {
          if (c.Status === 'stopped' || c.Status === 'stopping') return 'reused';
          await waitUntil(w, `cluster ${oldName}`, clusterAvailable(api, oldName));
          await api.stopCluster(oldName);
          return `stopping (AWS starts it again automatically after 7 days; delete it once the restored data is confirmed)`;
        }
        const writerId = writerOf(c)!;
        const [writer] = await api.describeInstances({ id: writerId });
        if (writer!.DBParameterGroups?.[0]?.DBParameterGroupName === o.readOnlyParameterGroup) return 'reused';
        await api.modifyInstance({
          DBInstanceIdentifier: writerId,
          DBParameterGroupName: o.readOnlyParameterGroup,
          ApplyImmediately: true,
        });
        await waitUntil(w, `instance ${writerId}`, instanceAvailable(api, writerId));
        // A new parameter group takes effect at the reboot, which also closes pooled connections.
        await api.rebootInstance(writerId);
        await waitUntil(w, `instance ${writerId}`, instanceAvailable(api, writerId));
      },
    );
    if (!quiet) return;
  }

  if (o.schedule && o.resumeSchedule !== false) {
    await steps.run('resume the daily schedule', async () => {
      await o.schedule!.resume();
      report.scheduleNote = `${o.schedule!.name} is enabled again`;
    });
  } else if (o.schedule)
    report.scheduleNote = `${o.schedule.name} stays disabled (resume-schedule is off): enable it when the data is confirmed`;
}

/**
 * After a failed rename: when the source serves under its own name again (never renamed, or
 * renamed back), production is as before and the daily schedule can run; otherwise it stays
 * paused and the report says so.
 */
async function resumeIfWhole(ctx: RollbackContext, o: CutoverOptions, steps: Steps, report: CutoverReport): Promise<void> {
  if (!o.schedule || steps.outcome !== 'error') return;
  const current = await findCluster(ctx.api, report.source).catch(() => undefined);
  const isSource = current && tagValue(current.TagList, TAG_RESTORED_TO) !== report.time.toISOString();
  if (!isSource) {
    report.scheduleNote = `${o.schedule.name} stays disabled: ${report.source} does not serve production under its name. Enable it once the cutover is finished or undone`;
    return;
  }
  const outcome = steps.outcome;
  await steps.run('resume the daily schedule (production is as before)', async () => {
    await o.schedule!.resume();
    report.scheduleNote = `${o.schedule!.name} is enabled again: the source serves production as before`;
  });
  steps.outcome = outcome;
}

function notReady(restored: string, why: string): UsageError {
  return new UsageError(
    `refusing the cutover: ${restored} ${why}. Nothing was renamed. To fix this, run 'pipeline rollback restore' with the same --to (it finishes the restore), then the cutover.`,
  );
}

/** The second rename failed: the source takes its own name back, so production is as before. */
async function restoreSourceName(ctx: RollbackContext, steps: Steps, report: CutoverReport): Promise<void> {
  const { api } = ctx;
  const w = waitContext(ctx);
  const { source, oldName } = report;
  if (!(await findCluster(api, oldName))) return;
  if (await findCluster(api, source)) return;
  const ok = await steps.run(`rename ${oldName} back to ${source} (undo the cutover)`, async () => {
    await waitUntil(w, `cluster ${oldName}`, clusterAvailable(api, oldName));
    await api.modifyCluster({ DBClusterIdentifier: oldName, NewDBClusterIdentifier: source, ApplyImmediately: true });
    await waitUntil(w, `cluster ${source}`, clusterAvailable(api, source));
  });
  report.undone = ok;
  // The first failure stays the outcome: the cutover did not happen.
  steps.outcome = 'error';
}

/** Done once the endpoint's CNAME chain reaches the writer's own endpoint, or its addresses are the writer's. */
function dnsPoints(dns: Dns, endpoint: string, writer: DBInstance): () => Promise<Probe> {
  const target = writer.Endpoint?.Address ?? '';
  return async () => {
    const seen = await dns.resolve(endpoint);
    if (seen.includes(target)) return { done: true, status: `→ ${target}` };
    const writerAddresses = await dns.resolve(target);
    const ips = (xs: string[]) =>
      xs
        .filter((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x))
        .sort()
        .join(',');
    const done = ips(seen) !== '' && ips(seen) === ips(writerAddresses);
    return { done, status: seen.length ? `→ ${seen.join(' → ')}` : 'not resolving' };
  };
}

/**
 * Custom endpoints keep their own names (they are not derived from the cluster's), so a rename
 * leaves them on the old cluster: each is deleted there and created again, same name, on the
 * restored cluster with the copies as members. Endpoint names are unique in a region, so the
 * delete must be finished before the create; what to create was recorded in the restored
 * cluster's tags at the restore, so a run killed in between still knows.
 */
async function moveEndpoints(ctx: RollbackContext, steps: Steps, report: CutoverReport, old: DBCluster, now: DBCluster): Promise<boolean> {
  const { api } = ctx;
  const w = waitContext(ctx);
  const oldId = old.DBClusterIdentifier!;
  const newId = now.DBClusterIdentifier!;
  const endpointOf = async (cluster: string, id: string) =>
    (await api.describeClusterEndpoints(cluster)).find((x) => x.DBClusterEndpointIdentifier === id);
  for (const e of endpointsFromTags(now.TagList)) {
    const id = e.identifier;
    const ok = await steps.run(`move the custom endpoint ${id} to ${newId}`, async () => {
      if (await endpointOf(newId, id)) return 'reused';
      const onOld = await endpointOf(oldId, id);
      if (onOld) {
        if (onOld.Status !== 'deleting') await api.deleteClusterEndpoint(id);
        await waitUntil(w, `endpoint ${id} deleted`, async () => {
          const left = await endpointOf(oldId, id);
          return { done: !left, status: left?.Status ?? 'gone' };
        });
      }
      await api.createClusterEndpoint({
        DBClusterIdentifier: newId,
        DBClusterEndpointIdentifier: id,
        EndpointType: e.type,
        ...(e.staticMembers.length ? { StaticMembers: e.staticMembers.map((n) => copyName(report.restored, n)) } : {}),
        ...(e.excludedMembers.length ? { ExcludedMembers: e.excludedMembers.map((n) => copyName(report.restored, n)) } : {}),
      });
      await waitUntil(w, `endpoint ${id}`, async () => {
        const made = await endpointOf(newId, id);
        return { done: made?.Status === 'available', status: made?.Status ?? 'not found' };
      });
    });
    if (!ok) return false;
  }
  return true;
}
