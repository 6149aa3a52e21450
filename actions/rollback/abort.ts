/**
 * `rollback abort`: removes what restores of the source made and that is not cut over: their
 * instances, then the clusters (deletion protection, copied from the source, is turned off on
 * them first). Only clusters tagged restored-from the source and named as the pipeline names
 * restores are touched, so the source, a cut-over cluster now serving production and the `-old`
 * cluster are never deleted. Resumable like the rest: what is already deleting is waited for.
 */
import { clusterAvailable, clusterGone, findCluster, instancesGone } from './probes.ts';
import { matchingRestore, pendingRestores, type PendingRestore, type RestoreTarget } from './restore-plan.ts';
import { Steps, waitContext, type Outcome, type RollbackContext, type StepResult } from './steps.ts';
import { waitUntil } from './waits.ts';

export interface AbortOptions {
  cluster: string;
  /** One restore (--to, --latest); default every restore of the source not cut over. */
  target?: RestoreTarget;
  apply: boolean;
}

export interface AbortReport {
  source: string;
  applied: boolean;
  outcome: Outcome;
  /** Clusters removed (or, in a dry run, to be removed) with their instances. */
  targets: Array<{ cluster: string; instances: string[]; time: Date }>;
  steps: StepResult[];
}

export async function runAbort(ctx: RollbackContext, o: AbortOptions): Promise<AbortReport> {
  const { api } = ctx;
  const pending = pendingRestores(await api.describeClusters(), o.cluster);
  const chosen: PendingRestore[] = o.target ? [matchingRestore(pending, o.target)].filter((p) => p !== undefined) : pending;
  const targets = [];
  for (const p of chosen) {
    const id = p.cluster.DBClusterIdentifier!;
    if (id === o.cluster) continue;
    const instances = (await api.describeInstances({ clusterId: id })).map((i) => i.DBInstanceIdentifier!);
    targets.push({ cluster: id, instances, time: p.time });
  }
  const report: AbortReport = { source: o.cluster, applied: o.apply, outcome: o.apply ? 'success' : 'dry-run', targets, steps: [] };
  if (!o.apply) return report;
  const steps = new Steps(ctx);
  report.steps = steps.list;
  const w = waitContext(ctx);
  for (const t of targets) {
    const gone = await steps.run(`delete the instances of ${t.cluster}`, async () => {
      const live = (await api.describeInstances({ clusterId: t.cluster })).filter((i) => i.DBInstanceStatus !== 'deleting');
      for (const i of live) await api.deleteInstance(i.DBInstanceIdentifier!);
      await waitUntil(w, `instances of ${t.cluster}`, instancesGone(api, t.cluster));
      return live.length ? `deleted ${live.map((i) => i.DBInstanceIdentifier).join(', ')}` : 'reused';
    });
    if (!gone) break;
    const deleted = await steps.run(`delete the cluster ${t.cluster}`, async () => {
      const c = await findCluster(api, t.cluster);
      if (!c) return 'reused';
      if (c.Status !== 'deleting') {
        if (c.DeletionProtection) {
          await api.modifyCluster({ DBClusterIdentifier: t.cluster, DeletionProtection: false, ApplyImmediately: true });
          await waitUntil(w, `cluster ${t.cluster}`, clusterAvailable(api, t.cluster));
        }
        await api.deleteCluster(t.cluster);
      }
      await waitUntil(w, `cluster ${t.cluster}`, clusterGone(api, t.cluster));
    });
    if (!deleted) break;
  }
  report.outcome = steps.outcome;
  return report;
}

export type { Outcome };
