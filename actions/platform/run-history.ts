/**
 * A run's history, kept in the metadata schema keyed by the run, so the docs site can show each
 * relation's row counts, each test's last results and each source's freshness over time
 * (target/run_results.json only ever holds the last run): every node result of the run (tests,
 * source checks, models, seeds) in `node_results`, and the row counts of what it published in
 * `table_counts` (the table the report also records its counts in). Written once at the end of a
 * run; recording the same run id again replaces its rows.
 */
import { qualified, quoteIdent, type Db, type DbSession } from './db.ts';
import type { NodeResult, TableCount } from './run-results.ts';

export const NODE_RESULTS_TABLE = 'node_results';
/** Same table and columns as actions/report/table-counts.ts records (the report's "previous rows"). */
export const TABLE_COUNTS_TABLE = 'table_counts';
/** Long messages are cut: the history shows a status and a hint, the run's report has the rest. */
const MESSAGE_CHARS = 500;
const BATCH = 200;

export async function ensureNodeResults(db: Db | DbSession, metaSchema: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(metaSchema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${qualified(metaSchema, NODE_RESULTS_TABLE)} (
    run_id VARCHAR(64) NOT NULL,
    unique_id VARCHAR(255) NOT NULL,
    status VARCHAR(16) NOT NULL,
    failures BIGINT NULL,
    execution_time DOUBLE NOT NULL,
    message VARCHAR(${MESSAGE_CHARS}) NULL,
    max_loaded_at VARCHAR(32) NULL COMMENT 'source freshness: the newest loaded_at_field value',
    age_seconds BIGINT NULL COMMENT 'source freshness: its age at the run''s as-of time',
    recorded_at DATETIME(3) NOT NULL,
    PRIMARY KEY (run_id, unique_id),
    KEY by_node (unique_id, recorded_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
}

export interface RunHistory {
  readonly results: readonly NodeResult[];
  /** Row counts of the published relations (empty when the run published nothing). */
  readonly tables: readonly TableCount[];
}

/** The table of published row counts per run (the report's "previous run", the docs site's history). */
export async function ensureTableCounts(db: Db | DbSession, metaSchema: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(metaSchema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await db.exec(`CREATE TABLE IF NOT EXISTS ${qualified(metaSchema, TABLE_COUNTS_TABLE)} (
    run_id VARCHAR(64) NOT NULL,
    schema_name VARCHAR(64) NOT NULL,
    table_name VARCHAR(64) NOT NULL,
    layer VARCHAR(16) NOT NULL,
    row_count BIGINT NULL,
    recorded_at DATETIME(3) NOT NULL,
    PRIMARY KEY (run_id, schema_name, table_name),
    KEY by_table (schema_name, table_name, recorded_at)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
}

/** Records run `runId`: its node results and the row counts of what it published. */
export async function recordRunHistory(db: Db | DbSession, metaSchema: string, runId: string, h: RunHistory): Promise<void> {
  await recordNodeResults(db, metaSchema, runId, h.results);
  await recordTableCounts(db, metaSchema, runId, h.tables);
}

async function recordTableCounts(db: Db | DbSession, metaSchema: string, runId: string, tables: readonly TableCount[]): Promise<void> {
  if (tables.length === 0) return;
  await ensureTableCounts(db, metaSchema);
  for (let i = 0; i < tables.length; i += BATCH) {
    const batch = tables.slice(i, i + BATCH);
    await db.exec(
      `REPLACE INTO ${qualified(metaSchema, TABLE_COUNTS_TABLE)} (run_id, schema_name, table_name, layer, row_count, recorded_at)
        VALUES ${batch.map(() => '(?, ?, ?, ?, ?, UTC_TIMESTAMP(3))').join(', ')}`,
      batch.flatMap((t) => [runId, t.schema, t.table, t.layer, t.rows]),
    );
  }
}

/** Records the results of run `runId` (REPLACE: recording the same run twice keeps one row per node). */
async function recordNodeResults(db: Db | DbSession, metaSchema: string, runId: string, results: readonly NodeResult[]): Promise<void> {
  if (results.length === 0) return;
  await ensureNodeResults(db, metaSchema);
  for (let i = 0; i < results.length; i += BATCH) {
    const batch = results.slice(i, i + BATCH);
    await db.exec(
      `REPLACE INTO ${qualified(metaSchema, NODE_RESULTS_TABLE)}
        (run_id, unique_id, status, failures, execution_time, message, max_loaded_at, age_seconds, recorded_at)
        VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))').join(', ')}`,
      batch.flatMap((r) => {
        const fresh = r.unique_id.startsWith('source_check.freshness.') ? r.samples?.[0] : undefined;
        const age = fresh?.age_seconds;
        return [
          runId,
          r.unique_id.slice(0, 255),
          r.status,
          r.failures,
          Number.isFinite(r.execution_time) ? r.execution_time : 0,
          r.message === null ? null : r.message.slice(0, MESSAGE_CHARS),
          fresh?.max_loaded_at == null ? null : String(fresh.max_loaded_at).slice(0, 32),
          typeof age === 'number' && Number.isFinite(age) ? Math.round(age) : null,
        ];
      }),
    );
  }
}
