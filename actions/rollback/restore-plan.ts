/**
 * What a restore makes, decided from the source as it is and from what an earlier attempt left:
 * deterministic names (from the source and the restore time), the exact input of every create
 * call, and the losses the preflight must name. The dry run prints this plan; --apply runs the
 * very same inputs, so what was printed is what happens.
 */
import { UsageError } from '../platform/errors.ts';
import {
  endpointTag,
  instanceInput,
  preflightLosses,
  restoreInput,
  restoreTags,
  TAG_REQUESTED,
  TAG_RESTORED_FROM,
  TAG_RESTORED_TO,
  tagValue,
  type EndpointSpec,
  type Loss,
} from './carry-over.ts';
import type {
  CreateDBInstanceCommandInput,
  DBCluster,
  DBClusterEndpoint,
  DBInstance,
  RestoreDBClusterToPointInTimeCommandInput,
} from './rds-api.ts';

/** RDS identifiers: 1 to 63 letters, digits or hyphens, starting with a letter. */
export const MAX_IDENTIFIER = 63;
/** Room kept for the longest instance suffix, `-reader-15` (Aurora has at most 15 replicas). */
const INSTANCE_SUFFIX_ROOM = 10;

export type RestoreTarget = { kind: 'time'; time: Date } | { kind: 'latest' };

export interface RestoreWindow {
  earliest?: Date;
  latest?: Date;
}

/** 2026-02-05T10:53:12Z -> 20260205105312 (UTC, to the second). */
export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** `<base>-<suffix>`, the base shortened so that the name (and `reserve` more characters) fit RDS's limit. */
export function derivedIdentifier(base: string, suffix: string, reserve = INSTANCE_SUFFIX_ROOM): string {
  const room = MAX_IDENTIFIER - reserve - suffix.length - 1;
  const head = base.slice(0, room).replace(/-+$/, '');
  return `${head}-${suffix}`;
}

export function restoredClusterName(source: string, time: Date): string {
  return derivedIdentifier(source, `pitr-${stamp(time)}`);
}

/** The name the source takes at the cutover, so that a rerun finds it. */
export function oldClusterName(source: string, time: Date): string {
  return derivedIdentifier(source, `old-${stamp(time)}`, 0);
}

export function writerOf(cluster: DBCluster): string | undefined {
  return cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
}

export function windowOf(cluster: DBCluster): RestoreWindow {
  return { earliest: cluster.EarliestRestorableTime, latest: cluster.LatestRestorableTime };
}

/** Throws a UsageError when `time` is outside the restore window. */
export function checkInWindow(time: Date, window: RestoreWindow, cluster: string): void {
  const iso = (d?: Date) => d?.toISOString() ?? 'unknown';
  const where = `the restore window of ${cluster} (${iso(window.earliest)} to ${iso(window.latest)})`;
  if (!window.earliest || !window.latest) {
    throw new UsageError(
      `${cluster} reports no restore window (are automated backups enabled?). To fix this, check its backup retention in the RDS console.`,
    );
  }
  if (time.getTime() < window.earliest.getTime()) {
    throw new UsageError(
      `--to ${time.toISOString()} is before ${where}: backups that old are gone. To fix this, choose a time inside the window ('pipeline rollback status').`,
    );
  }
  if (time.getTime() > window.latest.getTime()) {
    throw new UsageError(`--to ${time.toISOString()} is after ${where}. To fix this, choose a time inside the window, or use --latest.`);
  }
}

/** A cluster an earlier `rollback restore` made from `source` and that is not cut over yet. */
export interface PendingRestore {
  cluster: DBCluster;
  time: Date;
  requested: 'time' | 'latest';
}

/**
 * The restores of `source` still waiting for a cutover: tagged restored-from the source, and named
 * as the pipeline names them (so a cut-over restore, now named like the source, and an `-old`
 * cluster are never taken for one).
 */
export function pendingRestores(all: DBCluster[], source: string): PendingRestore[] {
  const found: PendingRestore[] = [];
  for (const c of all) {
    if (tagValue(c.TagList, TAG_RESTORED_FROM) !== source) continue;
    const to = tagValue(c.TagList, TAG_RESTORED_TO);
    const time = to ? new Date(to) : undefined;
    if (!time || Number.isNaN(time.getTime())) continue;
    if (c.DBClusterIdentifier !== restoredClusterName(source, time)) continue;
    found.push({ cluster: c, time, requested: tagValue(c.TagList, TAG_REQUESTED) === 'latest' ? 'latest' : 'time' });
  }
  return found.sort((a, b) => a.time.getTime() - b.time.getTime());
}

/** One source instance and the name of its copy. */
export interface InstancePlan {
  source: DBInstance;
  name: string;
  role: 'writer' | 'reader';
  create: CreateDBInstanceCommandInput;
}

export interface RestorePlan {
  region: string;
  source: DBCluster;
  sourceName: string;
  /** The time restored to: --to, or --latest resolved once (or read back from the earlier restore). */
  time: Date;
  requested: 'time' | 'latest';
  /** Set when an earlier run made the restored cluster: this run goes on from there. */
  resumed: boolean;
  restoredCluster: string;
  oldName: string;
  restore: RestoreDBClusterToPointInTimeCommandInput;
  instances: InstancePlan[];
  /** The source's custom endpoints, moved to the restored cluster at the cutover. */
  endpoints: EndpointSpec[];
  /** What cannot be carried; the run stops unless each key is in --accept-loss. */
  losses: Loss[];
  warnings: string[];
}

export interface PlanInput {
  region: string;
  source: DBCluster;
  /** The source's instances (from DescribeDBInstances). */
  instances: DBInstance[];
  endpoints: DBClusterEndpoint[];
  target: RestoreTarget;
  /** Restores of this source left by earlier runs. */
  pending: PendingRestore[];
}

/** The source's writer, then its readers by name: the order their copies are named in. */
export function instancesInOrder(src: DBCluster, instances: DBInstance[]): DBInstance[] {
  const writerId = writerOf(src);
  const writer = instances.find((i) => i.DBInstanceIdentifier === writerId);
  if (!writer) {
    throw new UsageError(
      `cluster ${src.DBClusterIdentifier} has no writer instance, so there is no instance to copy. To fix this, add a writer to it or restore by hand.`,
    );
  }
  const readers = instances
    .filter((i) => i.DBInstanceIdentifier !== writerId)
    .sort((a, b) => a.DBInstanceIdentifier!.localeCompare(b.DBInstanceIdentifier!));
  return [writer, ...readers];
}

export function copyName(restoredCluster: string, index: number): string {
  return `${restoredCluster}-${index === 0 ? 'writer' : `reader-${index}`}`;
}

/** Which earlier restore this request continues: the same time, or any --latest one for --latest. */
export function matchingRestore(pending: PendingRestore[], target: RestoreTarget): PendingRestore | undefined {
  if (target.kind === 'time') return pending.find((p) => p.time.getTime() === target.time.getTime());
  return pending.filter((p) => p.requested === 'latest').at(-1);
}

export function planRestore(p: PlanInput): RestorePlan {
  const src = p.source;
  const sourceName = src.DBClusterIdentifier!;
  const earlier = matchingRestore(p.pending, p.target);
  const window = windowOf(src);
  let time: Date;
  if (earlier) time = earlier.time;
  else if (p.target.kind === 'time') {
    checkInWindow(p.target.time, window, sourceName);
    time = p.target.time;
  } else {
    if (!window.latest) checkInWindow(new Date(0), window, sourceName);
    // Resolved once: the restore is made to this exact time, recorded in its tags, and a rerun
    // finds it by them instead of following the moving LatestRestorableTime.
    time = new Date(Math.floor(window.latest!.getTime() / 1000) * 1000);
  }
  const requested = earlier?.requested ?? p.target.kind;
  const restoredCluster = restoredClusterName(sourceName, time);
  const names = { cluster: restoredCluster, time, requested };
  const ordered = instancesInOrder(src, p.instances);
  const indexOf = new Map(ordered.map((i, n) => [i.DBInstanceIdentifier!, n]));
  const members = (ids: string[] | undefined) => (ids ?? []).map((m) => indexOf.get(m)).filter((n): n is number => n !== undefined);
  const endpoints: EndpointSpec[] = p.endpoints
    .filter((e) => e.EndpointType === 'CUSTOM')
    .map((e) => ({
      identifier: e.DBClusterEndpointIdentifier!,
      type: e.CustomEndpointType ?? 'ANY',
      staticMembers: members(e.StaticMembers),
      excludedMembers: members(e.ExcludedMembers),
    }));
  const tags = restoreTags(src, names, endpoints.map(endpointTag));
  const instances: InstancePlan[] = ordered.map((i, n) => {
    const name = copyName(restoredCluster, n);
    return { source: i, name, role: n === 0 ? 'writer' : 'reader', create: instanceInput(i, name, restoredCluster, tags) };
  });

  const warnings: string[] = [];
  if (src.Status && src.Status !== 'available')
    warnings.push(`the source cluster is '${src.Status}', not available; a point-in-time restore reads its backups and may still work`);
  if (p.target.kind === 'latest' && earlier)
    warnings.push(`--latest: going on with the restore to ${time.toISOString()} an earlier run made (the latest restorable time then)`);
  if (p.pending.length > (earlier ? 1 : 0))
    warnings.push(
      `other restores of ${sourceName} exist: ${p.pending
        .filter((x) => x !== earlier)
        .map((x) => x.cluster.DBClusterIdentifier)
        .join(', ')} ('rollback abort --to TIME' removes one)`,
    );
  return {
    region: p.region,
    source: src,
    sourceName,
    time,
    requested,
    resumed: !!earlier,
    restoredCluster,
    oldName: oldClusterName(sourceName, time),
    restore: restoreInput(src, names, endpoints.map(endpointTag)),
    instances,
    endpoints,
    losses: preflightLosses(src, p.instances),
    warnings,
  };
}

export { TAG_RESTORED_FROM, TAG_RESTORED_TO };
