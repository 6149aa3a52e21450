/**
 * BI-style readers: connections that query the published tables in a loop while a run works, as a
 * dashboard would. Each query reads every watched table in one statement (so it sees one instant
 * of the warehouse) and returns a fingerprint per table: row count and an order-independent hash
 * of the rows. Every answer must be the old warehouse or the new one, whole: never an error, never
 * an empty table, never old tables mixed with new ones.
 */
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';

export interface WatchedTable {
  schema: string;
  table: string;
}

export interface ReaderAnswer {
  /** Milliseconds since the readers started. */
  start: number;
  end: number;
  /** Index of the matching expected version, -1 when it matched none, undefined on error. */
  version?: number;
  error?: string;
}

export interface ReaderStats {
  queries: number;
  errors: number;
  /** Answers that matched no expected version (mixed or partial data). */
  mismatches: number;
  /** Answers in which a table that should have rows had none. */
  empties: number;
  maxLatencyMs: number;
  answers: ReaderAnswer[];
  firstError?: string;
  firstMismatch?: string;
}

/** The fingerprint query: one row, one `f<i>` column per table, 'rows:hash'. */
export async function fingerprintSql(db: Db, tables: WatchedTable[]): Promise<string> {
  const parts: string[] = [];
  for (const [i, t] of tables.entries()) {
    const cols = await db.query<{ c: string }>(
      'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [t.schema, t.table],
    );
    // A NULL and an empty string must hash differently: mark NULLs explicitly.
    const row = cols.map((c) => `COALESCE(CAST(${quoteIdent(c.c)} AS CHAR), '\\0')`).join(', ');
    parts.push(
      `(SELECT CONCAT(COUNT(*), ':', COALESCE(SUM(CRC32(CONCAT_WS(0x1f, ${row || "''"}))), 0)) FROM ${qualified(t.schema, t.table)}) AS ${quoteIdent(`f${i}`)}`,
    );
  }
  return `SELECT ${parts.join(', ')}`;
}

export function fingerprintKey(row: Record<string, unknown>): string {
  return Object.keys(row)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
    .map((k) => String(row[k]))
    .join('|');
}

export async function fingerprint(db: Db, sql: string): Promise<string> {
  const [row] = await db.query<Record<string, unknown>>(sql);
  return fingerprintKey(row ?? {});
}

export interface Readers {
  /** Adds an acceptable version (the old warehouse before, the new one after). */
  expect(key: string): void;
  stop(): Promise<ReaderStats>;
}

/**
 * Starts `count` readers on their own connections. Answers are judged when `stop` is called, so
 * the new version (known only once the run has published) can be added after the run.
 */
export async function startReaders(
  db: Db,
  sql: string,
  count: number,
  options: { pauseMs?: number; maxQueries?: number } = {},
): Promise<Readers> {
  const expected: string[] = [];
  const started = Date.now();
  const raw: Array<ReaderAnswer & { key?: string }> = [];
  let running = true;
  const sessions = await Promise.all(Array.from({ length: count }, () => db.openSession()));
  const limit = options.maxQueries ?? 200_000;
  const loops = sessions.map(async (session) => {
    while (running && raw.length < limit) {
      const start = Date.now() - started;
      try {
        const [row] = await session.query<Record<string, unknown>>(sql);
        raw.push({ start, end: Date.now() - started, key: fingerprintKey(row ?? {}) });
      } catch (err) {
        raw.push({ start, end: Date.now() - started, error: (err as Error).message });
      }
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  });
  return {
    expect(key) {
      if (!expected.includes(key)) expected.push(key);
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      await Promise.all(sessions.map((s) => s.close()));
      const stats: ReaderStats = { queries: raw.length, errors: 0, mismatches: 0, empties: 0, maxLatencyMs: 0, answers: [] };
      for (const a of raw) {
        stats.maxLatencyMs = Math.max(stats.maxLatencyMs, a.end - a.start);
        if (a.error !== undefined) {
          stats.errors++;
          stats.firstError ??= a.error;
          stats.answers.push({ start: a.start, end: a.end, error: a.error });
          continue;
        }
        const version = expected.indexOf(a.key!);
        if (version < 0) {
          stats.mismatches++;
          stats.firstMismatch ??= a.key;
        }
        if (a.key!.split('|').some((f) => f.startsWith('0:'))) stats.empties++;
        stats.answers.push({ start: a.start, end: a.end, version });
      }
      return stats;
    },
  };
}

/** Answers whose query overlapped a window (e.g. the publish stage), by version. */
export function answersDuring(stats: ReaderStats, from: number, to: number): { total: number; byVersion: Record<string, number> } {
  const byVersion: Record<string, number> = {};
  let total = 0;
  for (const a of stats.answers) {
    if (a.end < from || a.start > to) continue;
    total++;
    const k = a.error !== undefined ? 'error' : String(a.version);
    byVersion[k] = (byVersion[k] ?? 0) + 1;
  }
  return { total, byVersion };
}
