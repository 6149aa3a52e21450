/**
 * `rollback status`: the cluster, its restore window, the restores waiting for a cutover, its
 * automated snapshots, and suggested restore points: just before each recent publish of the
 * warehouse. Only runs that published count (their `published_at`, written by `daily` at the
 * swap, even when the run failed afterwards); dry runs and `test` never publish and never show.
 * All times are UTC.
 */
import type { Db } from '../platform/db.ts';
import { qualified } from '../platform/db.ts';
import { errorMessage, PipelineError } from '../platform/errors.ts';
import { RUNS_TABLE } from '../platform/meta.ts';
import type { RdsApi } from './rds-api.ts';
import { pendingRestores, windowOf, writerOf, type RestoreWindow } from './restore-plan.ts';

export interface RunSummary {
  runId: string;
  command: string;
  startedAt: Date;
  finishedAt?: Date;
  publishedAt?: Date;
}

export interface RestorePoint {
  /** The time to pass to --to: one minute before the run published. */
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
  /** Restores made by `rollback restore` and not cut over yet. */
  pending: Array<{ cluster: string; time: Date; status: string }>;
  /** Why runs could not be read, when they could not (no metadata schema, no database). */
  runsNote?: string;
}

/** How many runs and snapshots to show. */
const RECENT = 10;
const BEFORE_PUBLISH_MS = 60_000;

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

/**
 * The pipeline's recent runs that published, newest first; [] when it has never run here. A run
 * that published and failed afterwards (in its report) changed the warehouse all the same.
 */
export async function readRecentRuns(db: Db, metaSchema: string, limit = RECENT): Promise<RunSummary[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT run_id, command, started_at, finished_at, published_at FROM ${qualified(metaSchema, RUNS_TABLE)}
     WHERE published_at IS NOT NULL AND command NOT LIKE '%dry-run%' AND command <> 'test'
     ORDER BY published_at DESC LIMIT ${Number(limit)}`,
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
  return runs
    .filter((run) => run.publishedAt)
    .map((run) => {
      const time = new Date(Math.floor((run.publishedAt!.getTime() - BEFORE_PUBLISH_MS) / 1000) * 1000);
      const inWindow = !!window.earliest && !!window.latest && time >= window.earliest && time <= window.latest;
      return {
        time,
        label: `just before the ${run.command} run of ${formatUtcMinute(run.startedAt)} published (${formatUtcMinute(run.publishedAt!)})`,
        run,
        inWindow,
      };
    });
}

export interface StatusOptions {
  cluster: string;
  /** The warehouse database and the metadata schema, for suggested restore points. */
  runs?: () => Promise<RunSummary[]>;
}

export async function readRollbackStatus(api: RdsApi, o: StatusOptions): Promise<RollbackStatus> {
  const [c] = await api.describeClusters(o.cluster);
  if (!c) throw new PipelineError(`DescribeDBClusters returned nothing for ${o.cluster}. To fix this, check the identifier and region.`);
  const time = (s: { SnapshotCreateTime?: Date }) => s.SnapshotCreateTime?.getTime() ?? 0;
  const snapshots = (await api.describeAutomatedSnapshots(o.cluster)).sort((a, b) => time(b) - time(a));
  const pending = pendingRestores(await api.describeClusters(), o.cluster).map((p) => ({
    cluster: p.cluster.DBClusterIdentifier!,
    time: p.time,
    status: p.cluster.Status ?? 'unknown',
  }));
  const window = windowOf(c);
  let runs: RunSummary[] = [];
  let runsNote: string | undefined;
  if (o.runs) {
    try {
      runs = await o.runs();
      if (runs.length === 0) runsNote = 'no run of the pipeline has published yet';
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
    pending,
    runsNote,
  };
}
