/**
 * The pipeline's own metadata schema: the runs it made (for the run lock's holder message and
 * for rollback's suggested restore points), content hashes of what it loaded (to skip
 * unchanged tables and seeds), and the fingerprint of the last published dump (to skip it whole).
 */
import { qualified, quoteIdent, type Db, type DbSession } from './db.ts';

export const RUNS_TABLE = 'runs';
export const CONTENT_HASHES_TABLE = 'content_hashes';
export const DUMP_FINGERPRINTS_TABLE = 'dump_fingerprints';

export async function ensureMetaSchema(db: Db | DbSession, metaSchema: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(metaSchema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${qualified(metaSchema, RUNS_TABLE)} (
    run_id VARCHAR(64) NOT NULL PRIMARY KEY,
    command VARCHAR(64) NOT NULL,
    status VARCHAR(16) NOT NULL COMMENT 'running, success, error',
    started_at DATETIME(3) NOT NULL,
    finished_at DATETIME(3) NULL,
    published_at DATETIME(3) NULL,
    host VARCHAR(255) NOT NULL,
    pid INT NOT NULL,
    connection_id BIGINT NOT NULL,
    dump VARCHAR(1024) NULL,
    message TEXT NULL,
    KEY by_started (started_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${qualified(metaSchema, CONTENT_HASHES_TABLE)} (
    kind VARCHAR(16) NOT NULL COMMENT 'staging or seed',
    schema_name VARCHAR(64) NOT NULL,
    table_name VARCHAR(64) NOT NULL,
    content_hash CHAR(64) NOT NULL,
    row_count BIGINT NOT NULL,
    loaded_at DATETIME(3) NOT NULL,
    PRIMARY KEY (kind, schema_name, table_name)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${qualified(metaSchema, DUMP_FINGERPRINTS_TABLE)} (
    schema_name VARCHAR(64) NOT NULL PRIMARY KEY,
    fingerprint CHAR(64) NOT NULL COMMENT 'SHA-256 of the loader version, its options and every byte of the dump',
    dump_bytes BIGINT NOT NULL,
    outcome LONGTEXT NOT NULL COMMENT 'JSON: what that load reported (tables, refused and skipped statements, views)',
    loaded_at DATETIME(3) NOT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
}

export interface RunRecord {
  run_id: string;
  command: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  published_at: string | null;
  host: string;
  pid: number;
  connection_id: number;
  dump: string | null;
  message: string | null;
}

/**
 * Forgets the content hashes of tables about to be replaced. Called right BEFORE the swap that
 * replaces them: a process killed between the swap and recording the new hashes must not leave
 * the old content's hash beside the new content (the next run would then skip a table as
 * "unchanged" and keep the wrong data). With a blank hash the next run simply reloads: slower, right.
 */
export async function forgetContentHashes(
  db: Db | DbSession,
  metaSchema: string,
  kind: 'staging' | 'seed',
  schema: string,
  tables: readonly string[],
): Promise<void> {
  if (tables.length === 0) return;
  await ensureMetaSchema(db, metaSchema);
  // The hash is blanked, not deleted: its row count still describes the published table (the
  // report's "previous rows"), and an empty hash never equals a real one.
  await db.exec(
    `UPDATE ${qualified(metaSchema, CONTENT_HASHES_TABLE)} SET content_hash = '' WHERE kind = ? AND schema_name = ? AND table_name IN (?)`,
    [kind, schema, [...tables]],
  );
}
