/**
 * dbt's snapshot materialization (type-2 history), for MySQL/MariaDB. The first run copies the
 * query's rows with the meta columns; every later run, in one transaction: closes the current
 * version of each changed row (`dbt_valid_to` = the new version's time), handles the rows gone
 * from the source as `hard_deletes` says, and inserts a new version for every key without a
 * current one (new keys, changed keys). Rerunning on the same data changes nothing.
 * Strategies: `timestamp` (a row changed when its `updated_at` is newer) and `check`
 * (`check_cols` list or `all`: a row changed when a value differs, NULL-safe). `unique_key` may be
 * a list. Hard deletes (dbt 1.9): `ignore` (default) keeps a vanished key's version current;
 * `invalidate` (or the older `invalidate_hard_deletes`) closes it at the snapshot time;
 * `new_record` adds the column `dbt_is_deleted` ('False' on every ordinary version), closes the
 * vanished key's version and inserts a deleted version ('True', the last version's values,
 * valid from the snapshot time, current); when the key comes back, the deleted version is closed
 * and a new current version inserted, as dbt-adapters' snapshot_staging_table does (its
 * valid_from is the new version's time: under `timestamp`, the row's updated_at).
 * The snapshot time (snapshot_get_time()) is read once per run, so every version a run closes
 * and opens at that time carries the same instant. Under write-audit-publish the published table
 * is copied into the shadow first (carry-over.ts) and the shadow is swapped in with every other
 * table, so a failed run leaves the history as it was.
 * https://docs.getdbt.com/docs/build/snapshots
 * https://docs.getdbt.com/reference/resource-configs/hard-deletes
 */
import { qualified, quoteIdent, type DbSession } from '../platform/db.ts';
import { besideName, dropRelation, ensureSchema, relationKind } from '../platform/relations.ts';
import type { ModelNode } from './project/types.ts';

export interface SnapshotMeta {
  readonly valid_from: string;
  readonly valid_to: string;
  readonly scd_id: string;
  readonly updated_at: string;
  /** Only with `hard_deletes: new_record`: 'True' on a deleted version, 'False' on the others. */
  readonly is_deleted: string;
}

export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

export interface SnapshotConfig {
  readonly keys: string[];
  readonly strategy: 'timestamp' | 'check';
  readonly updatedAt?: string;
  readonly checkCols: string[] | 'all';
  readonly hardDeletes: HardDeletes;
  readonly meta: SnapshotMeta;
  /** dbt_valid_to_current: the value of dbt_valid_to of a current version (SQL), default NULL. */
  readonly validToCurrent?: string;
}

const HARD_DELETES: readonly string[] = ['ignore', 'invalidate', 'new_record'] satisfies HardDeletes[];

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** The snapshot's settings from its config; throws saying what is missing or not supported. */
export function snapshotConfig(node: ModelNode): SnapshotConfig {
  const c = node.config as Readonly<Record<string, unknown>>;
  const where = `snapshot ${node.name} (${node.original_file_path})`;
  const keys = list(c.unique_key);
  if (keys.length === 0) throw new Error(`${where} has no unique_key. To fix this, set unique_key (a column or a list).`);
  const strategy = (c.strategy as string | undefined) ?? 'timestamp';
  if (strategy !== 'timestamp' && strategy !== 'check') throw new Error(`${where}: strategy must be timestamp or check`);
  if (strategy === 'timestamp' && !c.updated_at) throw new Error(`${where}: the timestamp strategy needs updated_at. To fix this, set it.`);
  const checkCols = c.check_cols === 'all' ? 'all' : list(c.check_cols);
  if (strategy === 'check' && checkCols !== 'all' && checkCols.length === 0) {
    throw new Error(`${where}: the check strategy needs check_cols (a list, or 'all'). To fix this, set it.`);
  }
  const hard = String(c.hard_deletes ?? (c.invalidate_hard_deletes === true ? 'invalidate' : 'ignore'));
  if (!HARD_DELETES.includes(hard)) {
    throw new Error(`${where}: hard_deletes '${hard}' is not one of ${HARD_DELETES.join(', ')}. To fix this, use one of them.`);
  }
  const names = (c.snapshot_meta_column_names ?? {}) as Record<string, string>;
  const meta: SnapshotMeta = {
    valid_from: names.dbt_valid_from ?? 'dbt_valid_from',
    valid_to: names.dbt_valid_to ?? 'dbt_valid_to',
    scd_id: names.dbt_scd_id ?? 'dbt_scd_id',
    updated_at: names.dbt_updated_at ?? 'dbt_updated_at',
    is_deleted: names.dbt_is_deleted ?? 'dbt_is_deleted',
  };
  const current = c.dbt_valid_to_current as string | undefined;
  return {
    keys,
    strategy,
    updatedAt: c.updated_at as string | undefined,
    checkCols,
    hardDeletes: hard as HardDeletes,
    meta,
    validToCurrent: current,
  };
}

async function columnsOf(db: DbSession, schema: string, table: string): Promise<string[]> {
  const rows = await db.query<{ c: string }>(
    'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  );
  return rows.map((r) => r.c);
}

/** snapshot_get_time() evaluated once: the literal every statement of this run uses. */
async function snapshotTime(db: DbSession, now: string): Promise<string> {
  const [row] = await db.query<{ t: string | null }>(`SELECT CAST(CAST(${now} AS DATETIME) AS CHAR) AS t`);
  return row?.t ? `CAST('${row.t.replace(/'/g, "''")}' AS DATETIME)` : 'CAST(NULL AS DATETIME)';
}

export interface SnapshotResult {
  rows: number;
  message: string;
  adapter: { versions_opened: number; versions_closed: number; versions_deleted: number };
}

/** Runs the snapshot; `sql` is its compiled query, `now` the SQL of snapshot_get_time(). */
export async function snapshot(
  db: DbSession,
  node: ModelNode,
  schema: string,
  identifier: string,
  sql: string,
  now: string,
): Promise<SnapshotResult> {
  const c = snapshotConfig(node);
  const m = c.meta;
  const q = quoteIdent;
  const target = qualified(schema, identifier);
  const at = await snapshotTime(db, now);
  const newRecord = c.hardDeletes === 'new_record';
  const validToCurrent = c.validToCurrent ? `CAST(${c.validToCurrent} AS DATETIME)` : 'CAST(NULL AS DATETIME)';
  const isCurrent = (alias: string) =>
    c.validToCurrent ? `${alias}.${q(m.valid_to)} = ${validToCurrent}` : `${alias}.${q(m.valid_to)} IS NULL`;
  const isDeleted = (alias: string) => `${alias}.${q(m.is_deleted)} = 'True'`;
  const versionTime = (alias: string) => (c.strategy === 'timestamp' ? `CAST(${alias}.${q(c.updatedAt!)} AS DATETIME)` : at);
  const scdId = (alias: string) =>
    `MD5(CONCAT_WS('|', ${[...c.keys.map((k) => `COALESCE(CAST(${alias}.${q(k)} AS CHAR), '')`), `CAST(${versionTime(alias)} AS CHAR)`].join(', ')}))`;
  const metaCols = (alias: string) =>
    `${scdId(alias)} AS ${q(m.scd_id)}, ${versionTime(alias)} AS ${q(m.updated_at)}, ${versionTime(alias)} AS ${q(m.valid_from)}, ${validToCurrent} AS ${q(m.valid_to)}` +
    (newRecord ? `, 'False' AS ${q(m.is_deleted)}` : '');

  if ((await relationKind(db, schema, identifier)) !== 'table') {
    await ensureSchema(db, schema);
    const r = await db.exec(`CREATE TABLE ${target} AS\nSELECT s.*, ${metaCols('s')} FROM (\n${sql}\n) AS s`);
    return {
      rows: r.affectedRows,
      message: `SNAPSHOT ${r.affectedRows} (first run)`,
      adapter: { versions_opened: r.affectedRows, versions_closed: 0, versions_deleted: 0 },
    };
  }
  const staged = besideName(identifier, '__new');
  const stagedRel = qualified(schema, staged);
  await dropRelation(db, schema, staged);
  await db.exec(`CREATE TABLE ${stagedRel} AS\nSELECT * FROM (\n${sql}\n) AS s`);
  try {
    let targetCols = await columnsOf(db, schema, identifier);
    if (newRecord && !targetCols.includes(m.is_deleted)) {
      // A snapshot switched to new_record: dbt adds the column; its versions so far are not deletions.
      await db.exec(`ALTER TABLE ${target} ADD COLUMN ${q(m.is_deleted)} VARCHAR(5)`);
      await db.exec(`UPDATE ${target} SET ${q(m.is_deleted)} = 'False'`);
      targetCols = await columnsOf(db, schema, identifier);
    }
    const metaNames = new Set([m.valid_from, m.valid_to, m.scd_id, m.updated_at, ...(newRecord ? [m.is_deleted] : [])]);
    const cols = (await columnsOf(db, schema, staged)).filter((x) => targetCols.includes(x) && !metaNames.has(x));
    for (const k of c.keys) if (!cols.includes(k)) throw new Error(`unique_key column '${k}' is not a column of the snapshot's query`);
    const keyMatch = c.keys.map((k) => `t.${q(k)} <=> s.${q(k)}`).join(' AND ');
    const checked = c.checkCols === 'all' ? cols.filter((x) => !c.keys.includes(x)) : c.checkCols;
    const rowChanged =
      c.strategy === 'timestamp'
        ? `${versionTime('s')} > t.${q(m.updated_at)}`
        : checked.length === 0
          ? 'FALSE'
          : checked.map((x) => `NOT (t.${q(x)} <=> s.${q(x)})`).join(' OR ');
    // Under new_record a key back in the source after a deletion counts as changed.
    const changed = newRecord ? `(${rowChanged}) OR ${isDeleted('t')}` : rowChanged;
    const gone = `${isCurrent('t')} AND NOT EXISTS (SELECT 1 FROM ${stagedRel} AS s WHERE ${keyMatch})`;
    const colList = cols.map(q).join(', ');
    await db.exec('START TRANSACTION');
    try {
      // Close the current version of every changed row at the new version's time.
      const closed = await db.exec(
        `UPDATE ${target} AS t JOIN ${stagedRel} AS s ON ${keyMatch} SET t.${q(m.valid_to)} = ${versionTime('s')} WHERE ${isCurrent('t')} AND (${changed})`,
      );
      let deleted = 0;
      let deletions = 0;
      if (newRecord) {
        // A deleted version for every vanished key whose current version is not one already:
        // the last version's values, valid from the snapshot time, current.
        const r = await db.exec(
          `INSERT INTO ${target} (${colList}, ${q(m.scd_id)}, ${q(m.updated_at)}, ${q(m.valid_from)}, ${q(m.valid_to)}, ${q(m.is_deleted)})\n` +
            `SELECT ${cols.map((x) => `t.${q(x)}`).join(', ')}, MD5(CONCAT_WS('|', COALESCE(CAST(t.${q(m.scd_id)} AS CHAR), ''), CAST(${at} AS CHAR))), ${at}, ${at}, t.${q(m.valid_to)}, 'True'\n` +
            `FROM ${target} AS t WHERE ${gone} AND NOT ${isDeleted('t')}`,
        );
        deletions = r.affectedRows;
      }
      if (c.hardDeletes !== 'ignore') {
        // Close the vanished keys' current versions (under new_record: not the deleted versions).
        const r = await db.exec(
          `UPDATE ${target} AS t SET t.${q(m.valid_to)} = ${at} WHERE ${gone}${newRecord ? ` AND NOT ${isDeleted('t')}` : ''}`,
        );
        deleted = r.affectedRows;
      }
      // A new version for every key without a current one: new keys, and the ones just closed.
      const inserted = await db.exec(
        `INSERT INTO ${target} (${colList}, ${q(m.scd_id)}, ${q(m.updated_at)}, ${q(m.valid_from)}, ${q(m.valid_to)}${newRecord ? `, ${q(m.is_deleted)}` : ''})\n` +
          `SELECT ${cols.map((x) => `s.${q(x)}`).join(', ')}, ${metaCols('s')} FROM ${stagedRel} AS s\n` +
          `WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${keyMatch} AND ${isCurrent('t')})`,
      );
      await db.exec('COMMIT');
      const opened = inserted.affectedRows + deletions;
      return {
        rows: opened,
        adapter: { versions_opened: opened, versions_closed: closed.affectedRows + deleted, versions_deleted: deletions },
        message: `SNAPSHOT ${opened} new version(s), ${closed.affectedRows + deleted} closed${deleted ? ` (${deleted} deleted)` : ''}`,
      };
    } catch (err) {
      await db.exec('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    await dropRelation(db, schema, staged, 'table').catch(() => {});
  }
}
