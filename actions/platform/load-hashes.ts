/**
 * Content hashes of the tables in the published staging schema (pipeline_meta.content_hashes,
 * kind 'staging'): a table whose dump bytes hash the same as at its last load is not reloaded.
 * Hashes are written only after a successful publish, so they always describe what is published.
 */
import { qualified, type Db } from './db.ts';
import { CONTENT_HASHES_TABLE, ensureMetaSchema, forgetContentHashes } from './meta.ts';
import type { LoadTableResult } from './run-results.ts';

const KIND = 'staging';

export async function loadedHashes(db: Db, metaSchema: string, schema: string): Promise<Map<string, { hash: string; rows: number }>> {
  await ensureMetaSchema(db, metaSchema);
  const rows = await db.query<{ t: string; h: string; n: string }>(
    `SELECT table_name AS t, content_hash AS h, row_count AS n FROM ${qualified(metaSchema, CONTENT_HASHES_TABLE)} WHERE kind = ? AND schema_name = ?`,
    [KIND, schema],
  );
  return new Map(rows.map((r) => [r.t, { hash: r.h, rows: Number(r.n) }]));
}

/**
 * Records what a publish put in place: loaded tables get their new hash, dropped tables lose
 * theirs. Callers that publish themselves (`publish: false`) call this after their swap.
 */
export async function recordLoadHashes(
  db: Db,
  metaSchema: string,
  schema: string,
  tables: ReadonlyArray<LoadTableResult & { hash?: string }>,
): Promise<void> {
  await ensureMetaSchema(db, metaSchema);
  const table = qualified(metaSchema, CONTENT_HASHES_TABLE);
  for (const t of tables) {
    if (t.status === 'loaded' && t.hash) {
      await db.exec(
        `INSERT INTO ${table} (kind, schema_name, table_name, content_hash, row_count, loaded_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
         ON DUPLICATE KEY UPDATE content_hash = VALUES(content_hash), row_count = VALUES(row_count), loaded_at = VALUES(loaded_at)`,
        [KIND, schema, t.table, t.hash, t.rows],
      );
    } else if (t.status === 'dropped') {
      await db.exec(`DELETE FROM ${table} WHERE kind = ? AND schema_name = ? AND table_name = ?`, [KIND, schema, t.table]);
    }
  }
}

/** Before the swap that publishes them: the replaced and dropped tables lose their old hashes. */
export async function forgetLoadHashes(db: Db, metaSchema: string, schema: string, tables: readonly string[]): Promise<void> {
  await forgetContentHashes(db, metaSchema, KIND, schema, tables);
}
