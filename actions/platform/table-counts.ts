/**
 * Row counts of tables for the report and the job summary (`tables` in target/run_results.json),
 * written once for every stage that counts: the build counts what it built, before and after
 * (transform/build-counts.ts), the daily job its staging tables (`stagingCounts`), the report
 * every published table when the run recorded none (report/published-counts.ts).
 *
 * Counts are exact (COUNT(*); information_schema's TABLE_ROWS is only an InnoDB estimate).
 */
import { qualified, type Db } from './db.ts';
import { loadedHashes } from './load-hashes.ts';
import { relationKind, type RelationKind } from './relations.ts';
import type { LoadTableResult, TableCount } from './run-results.ts';

/** The exact row count of a table or view. */
export async function exactCount(db: Db, schema: string, table: string): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${qualified(schema, table)}`);
  return Number(row?.n ?? 0);
}

/** A relation's count and kind: no kind when it is not there, no count when it cannot be counted. */
export async function countRelation(
  db: Db,
  schema: string,
  table: string,
): Promise<{ rows: number | null; kind: RelationKind | undefined }> {
  const kind = await relationKind(db, schema, table);
  if (!kind) return { rows: null, kind };
  try {
    return { rows: await exactCount(db, schema, table), kind };
  } catch {
    // A view whose tables are gone cannot be counted; it is reported without a count.
    return { rows: null, kind };
  }
}

/**
 * Counts the tables among `counts` in place, `concurrency` at a time. Views keep no count:
 * counting one runs its whole query.
 */
export async function countTables(db: Db, counts: readonly TableCount[], concurrency = 4): Promise<void> {
  const queue = counts.filter((c) => c.kind === 'table');
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) c.rows = await exactCount(db, c.schema, c.table);
    }),
  );
}

/**
 * Staging tables of a load: rows as loaded, previous rows as recorded with the content hashes of
 * the last published load (so no COUNT(*) runs over the large staging tables). Call it before the
 * hashes move on.
 */
export async function stagingCounts(db: Db, metaSchema: string, schema: string, tables: readonly LoadTableResult[]): Promise<TableCount[]> {
  let previous = new Map<string, { rows: number }>();
  try {
    previous = await loadedHashes(db, metaSchema, schema);
  } catch {
    // No metadata yet: a first load has no previous counts.
  }
  return tables.map((t) => ({
    schema,
    layer: 'staging' as const,
    table: t.table,
    rows: t.status === 'dropped' ? null : t.rows,
    previousRows: previous.get(t.table)?.rows ?? null,
    kind: 'table' as const,
  }));
}
