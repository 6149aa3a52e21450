/**
 * `rollback status`: the cluster, its restore window and automated snapshots, and the pipeline's
 * own recent successful runs as suggested restore points ("just before the run of ...").
 */
import type { Db } from '../platform/db.ts';
import { qualified } from '../platform/db.ts';
import { errorMessage } from '../platform/errors.ts';
import { RUNS_TABLE } from '../platform/meta.ts';
import type { RdsApi } from './rds-api.ts';
import { windowOf, writerOf, type RestoreWindow } from './restore-plan.ts';

export interface RunSummary {
  runId: string;
  command: string;
  startedAt: Date;
  finishedAt?: Date;
  publishedAt?: Date;
}

export interface RestorePoint {
  /** The time to pass to --to: one minute before the run started. */
  time: Date;
  label: string;
  run: RunSummary;
  inWindow: boolean;
}

export interface RollbackStatus {
  cluster: string;
  region: string;
  status?: string;
  engine?: string;
  engineVersion?: string;
  endpoint?: string;
  writer?: string;
  backupRetentionDays?: number;
  window: RestoreWindow;
  snapshots: Array<{ id: string; createdAt?: Date; status?: string; sizeGiB?: number }>;
  restorePoints: RestorePoint[];
  /** Why runs could not be read, when they could not (no metadata schema, no database). */
  runsNote?: string;
}

/** How many runs and snapshots to show. */
const RECENT = 10;
const BEFORE_RUN_MS = 60_000;

/** A DATETIME read as a string in UTC (the session's time zone is +00:00). */
function utc(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  const d = new Date(`${String(value).replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatUtcMinute(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The pipeline's recent successful runs, newest first; [] when it has never run here. */
export async function readRecentRuns(db: Db, metaSchema: string, limit = RECENT): Promise<RunSummary[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT run_id, command, started_at, finished_at, published_at FROM ${qualified(metaSchema, RUNS_TABLE)}
     WHERE status = 'success' ORDER BY started_at DESC LIMIT ${Number(limit)}`,
  );
  return rows.map((r) => ({
    runId: String(r.run_id),
    command: String(r.command),
    startedAt: utc(r.started_at)!,
    finishedAt: utc(r.finished_at),
    publishedAt: utc(r.published_at),
  }));
}

export function restorePointsFor(runs: RunSummary[], window: RestoreWindow): RestorePoint[] {
  return runs.map((run) => {
    const time = new Date(run.startedAt.getTime() - BEFORE_RUN_MS);
    const inWindow = !!window.earliest && !!window.latest && time >= window.earliest && time <= window.latest;
    return { time, label: `just before the ${run.command} run of ${formatUtcMinute(run.startedAt)}`, run, inWindow };
  });
}

export interface StatusOptions {
  cluster: string;
  /** The warehouse database and the metadata schema, for suggested restore points. */
  runs?: () => Promise<RunSummary[]>;
}

export async function readRollbackStatus(api: RdsApi, o: StatusOptions): Promise<RollbackStatus> {
  const c = await api.describeCluster(o.cluster);
  const snapshots = await api.automatedSnapshots(o.cluster);
  const window = windowOf(c);
  let runs: RunSummary[] = [];
  let runsNote: string | undefined;
  if (o.runs) {
    try {
      runs = await o.runs();
      if (runs.length === 0) runsNote = 'the pipeline has no successful run recorded yet';
    } catch (err) {
      const code = (err as { code?: string }).code;
      runsNote =
        code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_DB_ERROR'
          ? 'the pipeline has not run against this database yet (no runs table)'
          : `the pipeline's runs could not be read: ${errorMessage(err)}`;
    }
  }
  return {
    cluster: o.cluster,
    region: api.region,
    status: c.Status,
    engine: c.Engine,
    engineVersion: c.EngineVersion,
    endpoint: c.Endpoint,
    writer: writerOf(c),
    backupRetentionDays: c.BackupRetentionPeriod,
    window,
    snapshots: snapshots.slice(0, RECENT).map((s) => ({
      id: s.DBClusterSnapshotIdentifier ?? '?',
      createdAt: s.SnapshotCreateTime,
      status: s.Status,
      sizeGiB: s.AllocatedStorage,
    })),
    restorePoints: restorePointsFor(runs, window),
    runsNote,
  };
}
