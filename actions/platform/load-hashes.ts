/**
 * Content hashes of the tables in the published staging schema (pipeline_meta.content_hashes,
 * kind 'staging'): a table whose dump bytes hash the same as at its last load is not reloaded.
 * Hashes are written only after a successful publish, so they always describe what is published.
 */
import { qualified, type Db } from './db.ts';
import { CONTENT_HASHES_TABLE, DUMP_FINGERPRINTS_TABLE, ensureMetaSchema, forgetContentHashes } from './meta.ts';
import type { LoadResult, LoadTableResult } from './run-results.ts';

const KIND = 'staging';

export async function loadedHashes(db: Db, metaSchema: string, schema: string): Promise<Map<string, { hash: string; rows: number }>> {
  await ensureMetaSchema(db, metaSchema);
  const rows = await db.query<{ t: string; h: string; n: string }>(
    `SELECT table_name AS t, content_hash AS h, row_count AS n FROM ${qualified(metaSchema, CONTENT_HASHES_TABLE)} WHERE kind = ? AND schema_name = ?`,
    [KIND, schema],
  );
  return new Map(rows.map((r) => [r.t, { hash: r.h, rows: Number(r.n) }]));
}

/** What a load reported, kept with its dump's fingerprint so that the same dump again reports the same. */
export interface RecordedLoad extends Pick<LoadResult, 'refused' | 'skippedRoutines' | 'collationMappings' | 'skipped'> {
  tables: LoadTableResult[];
  /** The views the dump created (the published views an identical reload leaves as they are). */
  views: string[];
}

/** The whole dump as loaded: see actions/load/unchanged-dump.ts. */
export interface DumpFingerprint {
  hash: string;
  bytes: number;
  outcome: RecordedLoad;
}

export async function loadedFingerprint(db: Db, metaSchema: string, schema: string): Promise<DumpFingerprint | undefined> {
  await ensureMetaSchema(db, metaSchema);
  const [row] = await db.query<{ h: string; b: string; o: string }>(
    `SELECT fingerprint AS h, dump_bytes AS b, outcome AS o FROM ${qualified(metaSchema, DUMP_FINGERPRINTS_TABLE)} WHERE schema_name = ?`,
    [schema],
  );
  return row && { hash: row.h, bytes: Number(row.b), outcome: JSON.parse(row.o) as RecordedLoad };
}

/**
 * Records what a publish put in place: loaded tables get their new hash, dropped tables lose
 * theirs, and the dump its fingerprint. Callers that publish themselves (`publish: false`) call
 * this after their swap.
 */
export async function recordLoadHashes(
  db: Db,
  metaSchema: string,
  schema: string,
  tables: ReadonlyArray<LoadTableResult & { hash?: string }>,
  fingerprint?: DumpFingerprint,
): Promise<void> {
  await ensureMetaSchema(db, metaSchema);
  if (fingerprint)
    await db.exec(
      `REPLACE INTO ${qualified(metaSchema, DUMP_FINGERPRINTS_TABLE)} (schema_name, fingerprint, dump_bytes, outcome, loaded_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(3))`,
      [schema, fingerprint.hash, fingerprint.bytes, JSON.stringify(fingerprint.outcome)],
    );
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

/**
 * Before the swap that publishes them: the replaced and dropped tables lose their old hashes, and
 * the schema its dump fingerprint (a swap that changes only views must not leave the old one).
 */
export async function forgetLoadHashes(db: Db, metaSchema: string, schema: string, tables: readonly string[]): Promise<void> {
  await ensureMetaSchema(db, metaSchema);
  await db.exec(`DELETE FROM ${qualified(metaSchema, DUMP_FINGERPRINTS_TABLE)} WHERE schema_name = ?`, [schema]);
  await forgetContentHashes(db, metaSchema, KIND, schema, tables);
}
