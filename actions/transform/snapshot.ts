/**
 * dbt's snapshot materialization (type-2 history), for MySQL/MariaDB. The first run copies the
 * query's rows with the meta columns; every later run, in one transaction: closes the current
 * version of each changed row (`dbt_valid_to` = the new version's time), closes the rows gone
 * from the source when `hard_deletes: invalidate`, and inserts a new version for every key
 * without a current one (new keys, changed keys). Rerunning on the same data changes nothing.
 * Strategies: `timestamp` (a row changed when its `updated_at` is newer) and `check`
 * (`check_cols` list or `all`: a row changed when a value differs, NULL-safe). `unique_key` may be
 * a list. Under write-audit-publish the published table is copied into the shadow first
 * (carry-over.ts) and the shadow is swapped in with every other table, so a failed run leaves
 * the history as it was.
 * https://docs.getdbt.com/docs/build/snapshots
 */
import { qualified, quoteIdent, type DbSession } from '../platform/db.ts';
import { besideName, dropRelation, ensureSchema, relationKind } from '../platform/relations.ts';
import type { ModelNode } from './project/types.ts';

export interface SnapshotMeta {
  readonly valid_from: string;
  readonly valid_to: string;
  readonly scd_id: string;
  readonly updated_at: string;
}

export interface SnapshotConfig {
  readonly keys: string[];
  readonly strategy: 'timestamp' | 'check';
  readonly updatedAt?: string;
  readonly checkCols: string[] | 'all';
  readonly hardDeletes: 'ignore' | 'invalidate';
  readonly meta: SnapshotMeta;
  /** dbt_valid_to_current: the value of dbt_valid_to of a current version (SQL), default NULL. */
  readonly validToCurrent?: string;
}

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
  const hard = (c.hard_deletes as string | undefined) ?? (c.invalidate_hard_deletes === true ? 'invalidate' : 'ignore');
  if (hard !== 'ignore' && hard !== 'invalidate') {
    throw new Error(
      `${where}: hard_deletes '${hard}' is not supported by this engine (ignore and invalidate are). To fix this, use one of them.`,
    );
  }
  const names = (c.snapshot_meta_column_names ?? {}) as Record<string, string>;
  const meta: SnapshotMeta = {
    valid_from: names.dbt_valid_from ?? 'dbt_valid_from',
    valid_to: names.dbt_valid_to ?? 'dbt_valid_to',
    scd_id: names.dbt_scd_id ?? 'dbt_scd_id',
    updated_at: names.dbt_updated_at ?? 'dbt_updated_at',
  };
  const current = c.dbt_valid_to_current as string | undefined;
  return { keys, strategy, updatedAt: c.updated_at as string | undefined, checkCols, hardDeletes: hard, meta, validToCurrent: current };
}

async function columnsOf(db: DbSession, schema: string, table: string): Promise<string[]> {
  const rows = await db.query<{ c: string }>(
    'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  );
  return rows.map((r) => r.c);
}

/** Runs the snapshot; `sql` is its compiled query, `now` the SQL of snapshot_get_time(). */
export async function snapshot(
  db: DbSession,
  node: ModelNode,
  schema: string,
  identifier: string,
  sql: string,
  now: string,
): Promise<{ rows: number; message: string; adapter: { versions_opened: number; versions_closed: number } }> {
  const c = snapshotConfig(node);
  const m = c.meta;
  const q = quoteIdent;
  const target = qualified(schema, identifier);
  const validToCurrent = c.validToCurrent ? `CAST(${c.validToCurrent} AS DATETIME)` : 'CAST(NULL AS DATETIME)';
  const isCurrent = (alias: string) =>
    c.validToCurrent ? `${alias}.${q(m.valid_to)} = ${validToCurrent}` : `${alias}.${q(m.valid_to)} IS NULL`;
  const versionTime = (alias: string) =>
    c.strategy === 'timestamp' ? `CAST(${alias}.${q(c.updatedAt!)} AS DATETIME)` : `CAST(${now} AS DATETIME)`;
  const scdId = (alias: string) =>
    `MD5(CONCAT_WS('|', ${[...c.keys.map((k) => `COALESCE(CAST(${alias}.${q(k)} AS CHAR), '')`), `CAST(${versionTime(alias)} AS CHAR)`].join(', ')}))`;
  const metaCols = (alias: string) =>
    `${scdId(alias)} AS ${q(m.scd_id)}, ${versionTime(alias)} AS ${q(m.updated_at)}, ${versionTime(alias)} AS ${q(m.valid_from)}, ${validToCurrent} AS ${q(m.valid_to)}`;

  if ((await relationKind(db, schema, identifier)) !== 'table') {
    await ensureSchema(db, schema);
    const r = await db.exec(`CREATE TABLE ${target} AS\nSELECT s.*, ${metaCols('s')} FROM (\n${sql}\n) AS s`);
    return {
      rows: r.affectedRows,
      message: `SNAPSHOT ${r.affectedRows} (first run)`,
      adapter: { versions_opened: r.affectedRows, versions_closed: 0 },
    };
  }
  const staged = besideName(identifier, '__new');
  const stagedRel = qualified(schema, staged);
  await dropRelation(db, schema, staged);
  await db.exec(`CREATE TABLE ${stagedRel} AS\nSELECT * FROM (\n${sql}\n) AS s`);
  try {
    const targetCols = await columnsOf(db, schema, identifier);
    const metaNames = new Set([m.valid_from, m.valid_to, m.scd_id, m.updated_at]);
    const cols = (await columnsOf(db, schema, staged)).filter((x) => targetCols.includes(x) && !metaNames.has(x));
    for (const k of c.keys) if (!cols.includes(k)) throw new Error(`unique_key column '${k}' is not a column of the snapshot's query`);
    const keyMatch = c.keys.map((k) => `t.${q(k)} <=> s.${q(k)}`).join(' AND ');
    const checked = c.checkCols === 'all' ? cols.filter((x) => !c.keys.includes(x)) : c.checkCols;
    const changed =
      c.strategy === 'timestamp'
        ? `${versionTime('s')} > t.${q(m.updated_at)}`
        : checked.length === 0
          ? 'FALSE'
          : checked.map((x) => `NOT (t.${q(x)} <=> s.${q(x)})`).join(' OR ');
    const list = cols.map(q).join(', ');
    await db.exec('START TRANSACTION');
    try {
      // Close the current version of every changed row at the new version's time.
      const closed = await db.exec(
        `UPDATE ${target} AS t JOIN ${stagedRel} AS s ON ${keyMatch} SET t.${q(m.valid_to)} = ${versionTime('s')} WHERE ${isCurrent('t')} AND (${changed})`,
      );
      let deleted = 0;
      if (c.hardDeletes === 'invalidate') {
        const r = await db.exec(
          `UPDATE ${target} AS t SET t.${q(m.valid_to)} = CAST(${now} AS DATETIME) WHERE ${isCurrent('t')} AND NOT EXISTS (SELECT 1 FROM ${stagedRel} AS s WHERE ${keyMatch})`,
        );
        deleted = r.affectedRows;
      }
      // A new version for every key without a current one: new keys, and the ones just closed.
      const inserted = await db.exec(
        `INSERT INTO ${target} (${list}, ${q(m.scd_id)}, ${q(m.updated_at)}, ${q(m.valid_from)}, ${q(m.valid_to)})\n` +
          `SELECT ${cols.map((x) => `s.${q(x)}`).join(', ')}, ${metaCols('s')} FROM ${stagedRel} AS s\n` +
          `WHERE NOT EXISTS (SELECT 1 FROM ${target} AS t WHERE ${keyMatch} AND ${isCurrent('t')})`,
      );
      await db.exec('COMMIT');
      return {
        rows: inserted.affectedRows,
        adapter: { versions_opened: inserted.affectedRows, versions_closed: closed.affectedRows + deleted },
        message: `SNAPSHOT ${inserted.affectedRows} new version(s), ${closed.affectedRows + deleted} closed${deleted ? ` (${deleted} deleted)` : ''}`,
      };
    } catch (err) {
      await db.exec('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    await dropRelation(db, schema, staged, 'table').catch(() => {});
  }
}
