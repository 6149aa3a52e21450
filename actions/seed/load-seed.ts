/**
 * Loading one seed: the CSV (already parsed and checked) goes into a new table beside the
 * published one, many rows per INSERT, then one RENAME swaps it in. A seed whose content and
 * types are unchanged since the last load (pipeline_meta.content_hashes) is not reloaded.
 */
import { createHash } from 'node:crypto';
import { qualified, quoteIdent, type Db, type DbSession } from '../platform/db.ts';
import { CONTENT_HASHES_TABLE, forgetContentHashes } from '../platform/meta.ts';
import type { Relation } from '../transform/project/types.ts';
import { besideName, dropRelation, ensureSchema, relationKind, swapIn } from '../platform/relations.ts';
import type { SeedTable } from './seed-csv.ts';
import { toSqlValue, type SeedColumn } from './seed-types.ts';

/** Rows per INSERT: large enough to make the round trips few, small enough for max_allowed_packet. */
const ROWS_PER_INSERT = 1000;

export interface PreparedSeed {
  readonly table: SeedTable;
  readonly columns: readonly SeedColumn[];
  /** sha256 of the CSV bytes and the column types. */
  readonly contentHash: string;
}

export function seedHash(bytes: Buffer, columns: readonly SeedColumn[]): string {
  return createHash('sha256')
    .update(bytes)
    .update('\0' + JSON.stringify(columns.map((c) => [c.name, c.sqlType])))
    .digest('hex');
}

export interface SeedLoadResult {
  status: 'loaded' | 'unchanged';
  rows: number;
}

export async function loadSeed(
  db: Db | DbSession,
  seed: PreparedSeed,
  relation: Relation,
  options: { metaSchema: string; fullRefresh?: boolean },
): Promise<SeedLoadResult> {
  const { schema, identifier } = relation;
  const hashTable = qualified(options.metaSchema, CONTENT_HASHES_TABLE);
  if (!options.fullRefresh) {
    const [row] = await db.query<{ content_hash: string }>(
      `SELECT content_hash FROM ${hashTable} WHERE kind = 'seed' AND schema_name = ? AND table_name = ?`,
      [schema, identifier],
    );
    if (row?.content_hash === seed.contentHash && (await relationKind(db, schema, identifier)) === 'table') {
      return { status: 'unchanged', rows: seed.table.rows.length };
    }
  }
  await ensureSchema(db, schema);
  const built = besideName(identifier, '__new');
  await dropRelation(db, schema, built);
  const cols = seed.columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType} NULL`).join(',\n  ');
  await db.exec(
    `CREATE TABLE ${qualified(schema, built)} (\n  ${cols}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  );
  try {
    const names = seed.columns.map((c) => quoteIdent(c.name)).join(', ');
    const rows = seed.table.rows;
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const batch = rows.slice(i, i + ROWS_PER_INSERT).map((r) => seed.columns.map((c, j) => toSqlValue(c, r[j]!)));
      // mysql2 expands `VALUES ?` with an array of arrays into (..), (..): one statement per batch.
      await db.exec(`INSERT INTO ${qualified(schema, built)} (${names}) VALUES ?`, [batch]);
    }
    await forgetContentHashes(db, options.metaSchema, 'seed', schema, [identifier]);
    await swapIn(db, schema, built, identifier);
  } catch (err) {
    await dropRelation(db, schema, built, 'table').catch(() => {});
    throw err;
  }
  await db.exec(
    `INSERT INTO ${hashTable} (kind, schema_name, table_name, content_hash, row_count, loaded_at)
     VALUES ('seed', ?, ?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE content_hash = VALUES(content_hash), row_count = VALUES(row_count), loaded_at = VALUES(loaded_at)`,
    [schema, identifier, seed.contentHash, seed.table.rows.length],
  );
  return { status: 'loaded', rows: seed.table.rows.length };
}
