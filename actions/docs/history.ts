/**
 * The warehouse's history, from what the pipeline records in its metadata schema: the runs,
 * each relation's row count per run (`table_counts`), each test's and source check's result per
 * run (`node_results`; both written at the end of `daily`, see platform/run-history.ts), and each
 * snapshot's versions opened and closed per day (read from the snapshot table itself). This is
 * what no dbt docs site shows: how the warehouse behaves over time.
 */
import { qualified, type Db } from '../platform/db.ts';
import { NODE_RESULTS_TABLE, TABLE_COUNTS_TABLE } from '../platform/run-history.ts';
import { RUNS_TABLE } from '../platform/meta.ts';
import type { RunInfo, SnapshotDay } from './site/docs-data.ts';

/** How many runs (and snapshot days) the site shows. */
export const HISTORY_RUNS = 30;

export interface NodeResultPoint {
  run: number;
  status: string;
  failures: number | null;
  ageSeconds: number | null;
  maxLoadedAt: string | null;
}

export interface History {
  /** Oldest first. */
  runs: RunInfo[];
  /** By `schema.table`: one point per run that counted it, oldest first. */
  rowCounts: Map<string, Array<{ run: number; rows: number | null }>>;
  /** By unique_id (tests, `source_check.freshness.*`): oldest first. */
  results: Map<string, NodeResultPoint[]>;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));

async function existingTables(db: Db, schema: string): Promise<Set<string>> {
  const rows = await db.query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [schema]);
  return new Set(rows.map((r) => r.t));
}

/** Reads the last `limit` runs that left history; an empty history when nothing was recorded yet. */
export async function readHistory(db: Db, metaSchema: string, limit = HISTORY_RUNS): Promise<History> {
  const history: History = { runs: [], rowCounts: new Map(), results: new Map() };
  const have = await existingTables(db, metaSchema);
  const sources = [TABLE_COUNTS_TABLE, NODE_RESULTS_TABLE].filter((t) => have.has(t));
  if (sources.length === 0) return history;
  const union = sources.map((t) => `SELECT run_id, recorded_at FROM ${qualified(metaSchema, t)}`).join(' UNION ALL ');
  const recent = await db.query<{ run_id: string; at: unknown }>(
    `SELECT run_id, MIN(recorded_at) AS at FROM (${union}) h GROUP BY run_id ORDER BY at DESC LIMIT ${Number(limit)}`,
  );
  if (recent.length === 0) return history;
  const ids = recent.map((r) => r.run_id);
  const info = new Map<string, { command: string; status: string; started_at: unknown }>();
  if (have.has(RUNS_TABLE)) {
    const rows = await db.query<{ run_id: string; command: string; status: string; started_at: unknown }>(
      `SELECT run_id, command, status, started_at FROM ${qualified(metaSchema, RUNS_TABLE)} WHERE run_id IN (?)`,
      [ids],
    );
    for (const r of rows) info.set(r.run_id, r);
  }
  history.runs = recent
    .map((r) => {
      const i = info.get(r.run_id);
      return { id: r.run_id, at: iso(i?.started_at) ?? iso(r.at) ?? '', command: i?.command ?? null, status: i?.status ?? null };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  const index = new Map(history.runs.map((r, i) => [r.id, i]));
  if (have.has(TABLE_COUNTS_TABLE)) {
    const rows = await db.query<{ run_id: string; s: string; t: string; n: unknown }>(
      `SELECT run_id, schema_name AS s, table_name AS t, row_count AS n FROM ${qualified(metaSchema, TABLE_COUNTS_TABLE)} WHERE run_id IN (?)`,
      [ids],
    );
    for (const r of rows) push(history.rowCounts, `${r.s}.${r.t}`, { run: index.get(r.run_id)!, rows: num(r.n) });
  }
  if (have.has(NODE_RESULTS_TABLE)) {
    const rows = await db.query<{ run_id: string; u: string; status: string; failures: unknown; age: unknown; loaded: string | null }>(
      `SELECT run_id, unique_id AS u, status, failures, age_seconds AS age, max_loaded_at AS loaded
         FROM ${qualified(metaSchema, NODE_RESULTS_TABLE)}
        WHERE run_id IN (?) AND (unique_id LIKE 'test.%' OR unique_id LIKE 'source\\_check.freshness.%')`,
      [ids],
    );
    for (const r of rows) {
      push(history.results, r.u, {
        run: index.get(r.run_id)!,
        status: r.status,
        failures: num(r.failures),
        ageSeconds: num(r.age),
        maxLoadedAt: r.loaded,
      });
    }
  }
  for (const list of [...history.rowCounts.values(), ...history.results.values()]) list.sort((a, b) => a.run - b.run);
  return history;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** The newest recorded count of every relation, by `schema.table` (what the catalog reports as exact). */
export function latestCounts(h: History): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, points] of h.rowCounts) {
    const last = points.at(-1);
    if (last && last.rows !== null) out.set(k, last.rows);
  }
  return out;
}

/**
 * Versions a snapshot opened (`dbt_valid_from`) and closed (`dbt_valid_to`) per day, the last
 * `days` days with any change. A snapshot table that does not exist yet has no days.
 */
export async function readSnapshotDays(db: Db, schema: string, table: string, days = HISTORY_RUNS): Promise<SnapshotDay[]> {
  const [exists] = await db.query<{ n: unknown }>(
    `SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME IN ('dbt_valid_from', 'dbt_valid_to')`,
    [schema, table],
  );
  if (Number(exists?.n ?? 0) < 2) return [];
  const rel = qualified(schema, table);
  const rows = await db.query<{ d: unknown; opened: unknown; closed: unknown }>(
    `SELECT d, SUM(opened) AS opened, SUM(closed) AS closed FROM (
       SELECT DATE_FORMAT(dbt_valid_from, '%Y-%m-%d') AS d, 1 AS opened, 0 AS closed FROM ${rel}
       UNION ALL
       SELECT DATE_FORMAT(dbt_valid_to, '%Y-%m-%d'), 0, 1 FROM ${rel} WHERE dbt_valid_to IS NOT NULL
     ) v GROUP BY d ORDER BY d DESC LIMIT ${Number(days)}`,
  );
  return rows.map((r) => ({ day: String(r.d), opened: Number(r.opened), closed: Number(r.closed) })).reverse();
}
