/**
 * The materializations: how one compiled model becomes a relation on the server.
 * - view: CREATE OR REPLACE VIEW (a table in the way is swapped out atomically);
 * - table: CREATE TABLE <name>__new AS ..., then one RENAME swap, then the old one dropped;
 * - incremental: the first run (or --full-refresh) builds like a table; later runs put the new
 *   rows in a table beside it, then delete the rows with the same unique_key and insert the new
 *   ones in one transaction (append when there is no unique_key);
 * - ephemeral: nothing on the server (inlined as a CTE where it is used);
 * - snapshot: dbt's type-2 history (snapshot.ts).
 * A failed statement leaves the published relation exactly as it was.
 */
import { qualified, quoteIdent, type DbSession } from '../platform/db.ts';
import type { ModelNode, Relation } from './project/types.ts';
import { besideName, dropRelation, ensureSchema, relationKind, swapIn } from '../platform/relations.ts';
import { snapshot } from './snapshot.ts';

export interface MaterializeResult {
  /** Rows written (table: rows built; incremental: rows inserted; view: 0). */
  rows: number;
  /** dbt-like status line: `CREATE VIEW`, `SELECT 42`, `INSERT 7`. */
  message: string;
  /** The SQL that was run (compiled with is_incremental() as decided here). */
  sql: string;
  /** More counts for run_results' adapter_response (a snapshot's versions opened and closed). */
  adapter?: Record<string, number>;
}

export interface MaterializeOptions {
  fullRefresh?: boolean;
  /** Selected on the connection before the model compiles and runs (dbt-mysql's behaviour). Default: none. */
  targetSchema?: string;
  /** Compiles the model; `isIncremental` is what is_incremental() answers. */
  compile(isIncremental: boolean): Promise<string>;
  /** Called with the SQL before it runs (to write target/compiled). */
  onCompiled?(sql: string): void;
  /** A snapshot's clock: the SQL of snapshot_get_time(). Default `current_timestamp()`. */
  snapshotTime?: string;
  /** Runs the model's pre-hooks (before it is built) or post-hooks (after); a throw fails the model. */
  runHooks?(which: 'pre-hook' | 'post-hook'): Promise<void>;
}

/**
 * dbt-mysql selects the target schema on the connection (`USE`), so a model may name a table
 * without its schema. A target schema that does not exist yet is not selected: nothing
 * unqualified could be read from it anyway.
 */
export async function useTargetSchema(db: DbSession, schema: string): Promise<void> {
  if (!schema) return;
  const [row] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
    schema,
  ]);
  if (Number(row?.n ?? 0) > 0) await db.exec(`USE ${quoteIdent(schema)}`);
}

export async function materialize(db: DbSession, node: ModelNode, relation: Relation, o: MaterializeOptions): Promise<MaterializeResult> {
  if (o.targetSchema) await useTargetSchema(db, o.targetSchema);
  if (node.config.materialized === 'ephemeral' || !o.runHooks) return build(db, node, relation, o);
  // dbt's order: pre-hooks, the model, post-hooks (a model an ephemeral CTE has none to run).
  await o.runHooks('pre-hook');
  const r = await build(db, node, relation, o);
  await o.runHooks('post-hook');
  return r;
}

async function build(db: DbSession, node: ModelNode, relation: Relation, o: MaterializeOptions): Promise<MaterializeResult> {
  const { schema, identifier } = relation;
  switch (node.config.materialized) {
    case 'ephemeral':
      return { rows: 0, message: 'EPHEMERAL', sql: await o.compile(false) };
    case 'view': {
      const sql = await o.compile(false);
      o.onCompiled?.(sql);
      await ensureSchema(db, schema);
      if ((await relationKind(db, schema, identifier)) === 'table') {
        const built = besideName(identifier, '__new');
        await dropRelation(db, schema, built);
        await db.exec(`CREATE VIEW ${qualified(schema, built)} AS\n${sql}`);
        await swapIn(db, schema, built, identifier);
      } else {
        await db.exec(`CREATE OR REPLACE VIEW ${qualified(schema, identifier)} AS\n${sql}`);
      }
      return { rows: 0, message: 'CREATE VIEW', sql };
    }
    case 'table':
      return buildTable(db, schema, identifier, await o.compile(false), o);
    case 'snapshot': {
      const sql = await o.compile(false);
      o.onCompiled?.(sql);
      return { ...(await snapshot(db, node, schema, identifier, sql, o.snapshotTime ?? 'current_timestamp()')), sql };
    }
    case 'incremental': {
      const existing = await relationKind(db, schema, identifier);
      const refresh = o.fullRefresh === true && node.config.full_refresh !== false;
      if (existing !== 'table' || refresh) return buildTable(db, schema, identifier, await o.compile(false), o);
      return mergeIncremental(db, node, schema, identifier, await o.compile(true), o);
    }
  }
}

async function buildTable(
  db: DbSession,
  schema: string,
  identifier: string,
  sql: string,
  o: MaterializeOptions,
): Promise<MaterializeResult> {
  o.onCompiled?.(sql);
  await ensureSchema(db, schema);
  const built = besideName(identifier, '__new');
  await dropRelation(db, schema, built);
  try {
    const r = await db.exec(`CREATE TABLE ${qualified(schema, built)} AS\n${sql}`);
    await swapIn(db, schema, built, identifier);
    return { rows: r.affectedRows, message: `SELECT ${r.affectedRows}`, sql };
  } catch (err) {
    await dropRelation(db, schema, built, 'table').catch(() => {});
    throw err;
  }
}

async function columnsOf(db: DbSession, schema: string, table: string): Promise<string[]> {
  return (await columnTypes(db, schema, table)).map((c) => c.name);
}

async function columnTypes(db: DbSession, schema: string, table: string): Promise<{ name: string; type: string }[]> {
  const rows = await db.query<{ c: string; t: string }>(
    'SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, table],
  );
  return rows.map((r) => ({ name: r.c, type: r.t }));
}

/**
 * dbt's on_schema_change for an incremental run (a full refresh rebuilds and never gets here):
 * `ignore` (default) inserts the columns both have; `fail` stops when the columns differ;
 * `append_new_columns` adds the model's new columns to the table (keeping removed ones);
 * `sync_all_columns` adds new, drops removed and changes the type of changed columns. DDL runs
 * before the insert's transaction. Returns the table's columns after the change.
 * https://docs.getdbt.com/docs/build/incremental-models#what-if-the-columns-of-my-incremental-model-change
 */
async function syncSchema(db: DbSession, node: ModelNode, schema: string, identifier: string, staged: string): Promise<string[]> {
  const mode = (node.config.on_schema_change as string | undefined) ?? 'ignore';
  const target = await columnTypes(db, schema, identifier);
  const source = await columnTypes(db, schema, staged);
  const has = (list: { name: string }[], name: string) => list.some((c) => c.name.toLowerCase() === name.toLowerCase());
  const added = source.filter((c) => !has(target, c.name));
  const removed = target.filter((c) => !has(source, c.name));
  const changed = source.filter((c) => target.some((t) => t.name.toLowerCase() === c.name.toLowerCase() && t.type !== c.type));
  if (mode === 'ignore' || (added.length === 0 && removed.length === 0 && (mode !== 'sync_all_columns' || changed.length === 0))) {
    return target.map((c) => c.name);
  }
  const table = qualified(schema, identifier);
  if (mode === 'fail') {
    throw new Error(
      `the columns of incremental model ${node.name} changed (added: ${added.map((c) => c.name).join(', ') || 'none'}; removed: ${removed.map((c) => c.name).join(', ') || 'none'}) and its on_schema_change is 'fail'. To fix this, run it with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns`,
    );
  }
  const changes = added.map((c) => `ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
  if (mode === 'sync_all_columns') {
    changes.push(...removed.map((c) => `DROP COLUMN ${quoteIdent(c.name)}`));
    changes.push(...changed.map((c) => `MODIFY COLUMN ${quoteIdent(c.name)} ${c.type}`));
  }
  if (changes.length > 0) await db.exec(`ALTER TABLE ${table} ${changes.join(', ')}`);
  return columnsOf(db, schema, identifier);
}

function uniqueKeys(node: ModelNode): string[] {
  const k = node.config.unique_key;
  if (k === undefined || k === null) return [];
  return (Array.isArray(k) ? k : [k])
    .flatMap((s: string) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

async function mergeIncremental(
  db: DbSession,
  node: ModelNode,
  schema: string,
  identifier: string,
  sql: string,
  o: MaterializeOptions,
): Promise<MaterializeResult> {
  o.onCompiled?.(sql);
  const staged = besideName(identifier, '__new');
  await dropRelation(db, schema, staged);
  await db.exec(`CREATE TABLE ${qualified(schema, staged)} AS\n${sql}`);
  try {
    const target = qualified(schema, identifier);
    const source = qualified(schema, staged);
    // dbt's on_schema_change decides what a change of the model's columns does to the table.
    const targetCols = await syncSchema(db, node, schema, identifier, staged);
    const cols = (await columnsOf(db, schema, staged)).filter((c) => targetCols.includes(c));
    const keys = uniqueKeys(node);
    for (const k of keys) {
      if (!cols.includes(k))
        throw new Error(`unique_key column '${k}' is not a column of both the model's query and ${schema}.${identifier}`);
    }
    const list = cols.map(quoteIdent).join(', ');
    await db.exec('START TRANSACTION');
    try {
      if (keys.length > 0) {
        // dbt's delete+insert. Not a multi-table `DELETE t FROM ... JOIN`: MariaDB refuses its alias
        // with "No database selected" when the session has no default database.
        const k = keys.map(quoteIdent).join(', ');
        await db.exec(`DELETE FROM ${target} WHERE (${k}) IN (SELECT ${k} FROM ${source})`);
      }
      const r = await db.exec(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${source}`);
      await db.exec('COMMIT');
      return { rows: r.affectedRows, message: `INSERT ${r.affectedRows}`, sql };
    } catch (err) {
      await db.exec('ROLLBACK').catch(() => {});
      throw err;
    }
  } finally {
    await dropRelation(db, schema, staged, 'table').catch(() => {});
  }
}
