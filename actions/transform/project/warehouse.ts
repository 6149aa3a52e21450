/**
 * How a synchronous render gets answers from the database. nunjucks renders synchronously, and
 * dbt code calls `run_query`, `statement` and `adapter.get_columns_in_relation` in the middle of
 * a template. So a render that asks for a query it has no answer for stops; the query runs
 * (asynchronously, on the model's own session), and the render starts again from the top with
 * every answer so far replayed in order. A template asks the same questions in the same order
 * each time (it is deterministic given the answers), so a statement with effects (a DROP) runs
 * once, and a render with n queries costs n + 1 renders of a template (microseconds each,
 * against milliseconds per query).
 */
import { agateTable, type AgateTable } from './dbt-relation.ts';
import type { Warehouse } from './dbt-context.ts';

/** Runs one statement; rows as objects (key order = column order), or undefined for none. */
export type QueryRunner = (sql: string) => Promise<readonly Record<string, unknown>[] | undefined>;

class Replay implements Warehouse {
  readonly answers: { sql: string; table: AgateTable }[] = [];
  private next = 0;
  pending: string | undefined;
  restart(): void {
    this.next = 0;
    this.pending = undefined;
  }
  query(sql: string): AgateTable {
    const known = this.answers[this.next];
    if (known && known.sql === sql) {
      this.next++;
      return known.table;
    }
    if (known)
      throw new Error(`internal: the template asked '${sql}' where it asked '${known.sql}' before (a template must be deterministic)`);
    this.pending = sql;
    throw new Error(`needs the result of: ${sql}`);
  }
}

/** Safety net: a template that keeps asking new questions is stopped. */
const MAX_QUERIES = 1000;

/** Renders with a warehouse, running the queries the render asks for until it completes. */
export async function renderWithWarehouse(render: (warehouse: Warehouse) => string, run: QueryRunner): Promise<string> {
  const replay = new Replay();
  for (;;) {
    replay.restart();
    try {
      return render(replay);
    } catch (err) {
      const sql = replay.pending;
      if (sql === undefined || replay.answers.length >= MAX_QUERIES) throw err;
      const rows = await run(sql);
      replay.answers.push({ sql, table: agateTable(Array.isArray(rows) ? rows : []) });
    }
  }
}

const CANONICAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/**
 * The connection reads BIGINT and DECIMAL values as strings (exact: platform/db.ts); a template
 * compares them with numbers (`results[0][0] == 3`), as dbt's agate tables hold numbers. A value
 * written as a canonical number becomes one (a text column holding '123' does too: the price of
 * not having the column types here).
 */
function numeric(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' && CANONICAL_NUMBER.test(v) && v.length < 16 ? Number(v) : v;
  return out;
}

/** A QueryRunner over anything with mysql2-style `query` (a Db or one DbSession). */
export function queryRunner(db: { query(sql: string): Promise<unknown[]> }): QueryRunner {
  return async (sql) => {
    const rows = await db.query(sql);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]).map(numeric) : undefined;
  };
}
