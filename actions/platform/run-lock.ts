/**
 * The run lock: two pipeline runs against the same warehouse never interleave. It is a
 * server-side named lock (GET_LOCK) held by a dedicated connection for the whole run, so a killed
 * process releases it the moment its connection drops; the run's row in the metadata table names
 * the holder for the run that is refused.
 * https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html
 */
import { createHash, randomUUID } from 'node:crypto';
import { PipelineError } from './errors.ts';
import { qualified, type Db, type DbSession } from './db.ts';
import { ensureMetaSchema, RUNS_TABLE, type RunRecord } from './meta.ts';

export interface RunLockOptions {
  metaSchema: string;
  command: string;
  /** Seconds to wait for a running pipeline to finish; 0 fails at once. Default 0. */
  waitSeconds?: number;
  host: string;
  pid: number;
  dump?: string;
}

export interface RunLock {
  readonly runId: string;
  readonly lockName: string;
  /**
   * Throws unless this run still holds the lock (its connection may have been killed, which frees
   * the lock for another run): called right before publishing, so two runs can never both publish.
   */
  assertHeld(): Promise<void>;
  /**
   * Records that this run has just published (the swap is done): `rollback status` offers the
   * time just before it as a restore point, whatever the run's outcome afterwards.
   */
  markPublished(): Promise<void>;
  /** Records the outcome and releases the lock (a publish time already recorded is kept). */
  release(status: 'success' | 'error', message?: string, publishedAt?: Date): Promise<void>;
}

/** GET_LOCK names are limited to 64 characters; long ones are hashed. */
export function lockNameFor(metaSchema: string): string {
  const name = `tokyobeta-pipeline:${metaSchema}`;
  return name.length <= 64 ? name : `tokyobeta-pipeline:${createHash('sha256').update(metaSchema).digest('hex').slice(0, 40)}`;
}

export async function acquireRunLock(db: Db, o: RunLockOptions): Promise<RunLock> {
  await ensureMetaSchema(db, o.metaSchema);
  const session = await db.openSession();
  const lockName = lockNameFor(o.metaSchema);
  try {
    const [row] = await session.query<{ got: number | null }>('SELECT GET_LOCK(?, ?) AS got', [lockName, o.waitSeconds ?? 0]);
    if (Number(row?.got) !== 1) {
      const holder = await describeHolder(db, o.metaSchema, lockName);
      const waited = o.waitSeconds ? ` after waiting ${o.waitSeconds}s` : '';
      throw new PipelineError(
        `another pipeline run holds the lock on this warehouse${waited}: ${holder}. To fix this, wait for it to finish, or pass --wait-lock to wait for it.`,
      );
    }
    await markAbandonedRuns(session, o.metaSchema);
    const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomUUID().slice(0, 8)}`;
    await session.exec(
      `INSERT INTO ${qualified(o.metaSchema, RUNS_TABLE)} (run_id, command, status, started_at, host, pid, connection_id, dump)
       VALUES (?, ?, 'running', UTC_TIMESTAMP(3), ?, ?, CONNECTION_ID(), ?)`,
      [runId, o.command, o.host, o.pid, o.dump ?? null],
    );
    return {
      runId,
      lockName,
      async assertHeld() {
        const held = await session.query<{ mine: number | null }>('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [lockName]).then(
          ([r]) => Number(r?.mine) === 1,
          () => false,
        );
        if (!held) {
          throw new PipelineError(
            `this run no longer holds the warehouse lock '${lockName}' (its connection was lost), so it does not publish. To fix this, run again.`,
          );
        }
      },
      async markPublished() {
        await session.exec(`UPDATE ${qualified(o.metaSchema, RUNS_TABLE)} SET published_at = UTC_TIMESTAMP(3) WHERE run_id = ?`, [runId]);
      },
      async release(status, message, publishedAt) {
        try {
          await session.exec(
            `UPDATE ${qualified(o.metaSchema, RUNS_TABLE)} SET status = ?, finished_at = UTC_TIMESTAMP(3), message = ?, published_at = COALESCE(?, published_at) WHERE run_id = ?`,
            [status, message ?? null, publishedAt ?? null, runId],
          );
          await session.query('SELECT RELEASE_LOCK(?)', [lockName]);
        } finally {
          await session.close();
        }
      },
    };
  } catch (err) {
    await session.close();
    throw err;
  }
}

async function describeHolder(db: Db, metaSchema: string, lockName: string): Promise<string> {
  const [used] = await db.query<{ holder: number | null }>('SELECT IS_USED_LOCK(?) AS holder', [lockName]);
  const connectionId = used?.holder;
  if (connectionId === null || connectionId === undefined) return 'a run that has just finished (try again)';
  const [run] = await db.query<RunRecord>(
    `SELECT * FROM ${qualified(metaSchema, RUNS_TABLE)} WHERE connection_id = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1`,
    [connectionId],
  );
  if (!run) return `server connection ${connectionId}`;
  return `'${run.command}' (run ${run.run_id}) started ${run.started_at} UTC by pid ${run.pid} on ${run.host}, server connection ${connectionId}`;
}

/** Runs left 'running' by a killed process: their connection is gone, so they are over. */
async function markAbandonedRuns(session: DbSession, metaSchema: string): Promise<void> {
  await session.exec(
    `UPDATE ${qualified(metaSchema, RUNS_TABLE)} r
        SET r.status = 'abandoned', r.finished_at = UTC_TIMESTAMP(3), r.message = 'the process ended without finishing (killed or lost its connection)'
      WHERE r.status = 'running'
        AND r.connection_id NOT IN (SELECT id FROM information_schema.PROCESSLIST)`,
  );
}
