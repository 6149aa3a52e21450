/**
 * What a restore will do, decided before anything is changed: the new names, and the exact input
 * of every API call. The dry run prints this plan; --apply runs the very same inputs, so what was
 * printed is what happens.
 */
import type {
  CreateDBInstanceCommandInput,
  DBCluster,
  DBInstance,
  ModifyDBClusterCommandInput,
  RestoreDBClusterToPointInTimeCommandInput,
  Tag,
} from '@aws-sdk/client-rds';
import { UsageError } from '../platform/errors.ts';

/** RDS identifiers: 1 to 63 letters, digits or hyphens. */
const MAX_IDENTIFIER = 63;
const WRITER_SUFFIX = '-writer';
export const TAG_RESTORED_FROM = 'tokyobeta-pipeline:restored-from';
export const TAG_RESTORED_TO = 'tokyobeta-pipeline:restored-to';

export type RestoreTarget = { kind: 'time'; time: Date } | { kind: 'latest' };

export interface RestoreWindow {
  earliest?: Date;
  latest?: Date;
}

export interface RestorePlan {
  region: string;
  source: {
    cluster: string;
    writer: string;
    engine: string;
    engineVersion?: string;
    status?: string;
    endpoint?: string;
    window: RestoreWindow;
  };
  target: RestoreTarget;
  restoredCluster: string;
  restoredWriter: string;
  restore: RestoreDBClusterToPointInTimeCommandInput;
  createWriter: CreateDBInstanceCommandInput;
  /** Present with --cutover: the two renames, in order. */
  cutover?: {
    oldName: string;
    renameSource: ModifyDBClusterCommandInput;
    renameRestored: ModifyDBClusterCommandInput;
  };
  /** Things worth knowing before applying (the source is not available, ...). */
  warnings: string[];
}

/** 2026-02-05T10:53:12Z -> 202602051053 (UTC, to the minute). */
export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 12);
}

/** `<base>-<suffix>`, the base shortened so that the name, and its writer's name, fit RDS's limit. */
export function derivedIdentifier(base: string, suffix: string, reserve = WRITER_SUFFIX.length): string {
  const room = MAX_IDENTIFIER - reserve - suffix.length - 1;
  const head = base.slice(0, room).replace(/-+$/, '');
  return `${head}-${suffix}`;
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

export interface PlanInput {
  region: string;
  source: DBCluster;
  writer: DBInstance;
  target: RestoreTarget;
  cutover: boolean;
  now: Date;
}

export function planRestore(p: PlanInput): RestorePlan {
  const src = p.source;
  const cluster = src.DBClusterIdentifier!;
  const window = windowOf(src);
  if (p.target.kind === 'time') checkInWindow(p.target.time, window, cluster);
  else if (!window.latest) checkInWindow(p.now, window, cluster);
  const when = p.target.kind === 'time' ? p.target.time : (window.latest ?? p.now);
  const restoredCluster = derivedIdentifier(cluster, `pitr-${stamp(when)}`);
  const restoredWriter = `${restoredCluster}${WRITER_SUFFIX}`;
  const tags: Tag[] = [
    { Key: TAG_RESTORED_FROM, Value: cluster },
    { Key: TAG_RESTORED_TO, Value: p.target.kind === 'time' ? p.target.time.toISOString() : 'latest' },
  ];

  // A restore gets the default subnet group, security group and parameter group unless told
  // otherwise, so the source's are passed explicitly.
  // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterToPointInTime.html
  const restore: RestoreDBClusterToPointInTimeCommandInput = {
    DBClusterIdentifier: restoredCluster,
    SourceDBClusterIdentifier: cluster,
    // copy-on-write clones share pages with the source and cannot restore to a chosen time.
    RestoreType: 'full-copy',
    ...(p.target.kind === 'time' ? { RestoreToTime: p.target.time } : { UseLatestRestorableTime: true }),
    DBSubnetGroupName: src.DBSubnetGroup,
    VpcSecurityGroupIds: (src.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!).filter(Boolean),
    DBClusterParameterGroupName: src.DBClusterParameterGroup,
    ...(src.ServerlessV2ScalingConfiguration
      ? {
          ServerlessV2ScalingConfiguration: {
            MinCapacity: src.ServerlessV2ScalingConfiguration.MinCapacity,
            MaxCapacity: src.ServerlessV2ScalingConfiguration.MaxCapacity,
          },
        }
      : {}),
    Tags: tags,
  };

  // A restored Aurora cluster has no instance: it serves nothing until a writer is added.
  const w = p.writer;
  const createWriter: CreateDBInstanceCommandInput = {
    DBInstanceIdentifier: restoredWriter,
    DBClusterIdentifier: restoredCluster,
    DBInstanceClass: w.DBInstanceClass,
    Engine: w.Engine ?? src.Engine,
    ...(w.DBParameterGroups?.[0]?.DBParameterGroupName ? { DBParameterGroupName: w.DBParameterGroups[0].DBParameterGroupName } : {}),
    ...(w.PubliclyAccessible !== undefined ? { PubliclyAccessible: w.PubliclyAccessible } : {}),
    Tags: tags,
  };

  const warnings: string[] = [];
  if (src.Status && src.Status !== 'available')
    warnings.push(`the source cluster is '${src.Status}', not available; a point-in-time restore reads its backups and may still work`);
  if (!src.DBSubnetGroup) warnings.push('the source reports no subnet group: the restore will use the default one');

  let cutover: RestorePlan['cutover'];
  if (p.cutover) {
    const oldName = derivedIdentifier(cluster, `old-${stamp(p.now)}`, 0);
    cutover = {
      oldName,
      renameSource: { DBClusterIdentifier: cluster, NewDBClusterIdentifier: oldName, ApplyImmediately: true },
      renameRestored: { DBClusterIdentifier: restoredCluster, NewDBClusterIdentifier: cluster, ApplyImmediately: true },
    };
  }
  return {
    region: p.region,
    source: {
      cluster,
      writer: w.DBInstanceIdentifier!,
      engine: src.Engine ?? 'unknown',
      engineVersion: src.EngineVersion,
      status: src.Status,
      endpoint: src.Endpoint,
      window,
    },
    target: p.target,
    restoredCluster,
    restoredWriter,
    restore,
    createWriter,
    cutover,
    warnings,
  };
}
