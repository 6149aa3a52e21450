/**
 * Publishing a loaded shadow schema. Every table moves into the target with ONE `RENAME TABLE`
 * (atomic in MySQL and MariaDB: readers see the old tables or the new ones, never a mix), the
 * replaced ones move out to the `…__old` schema, which is then dropped.
 * https://dev.mysql.com/doc/refman/8.0/en/rename-table.html
 *
 * Views, triggers and routines cannot move between schemas with RENAME TABLE (MySQL refuses
 * "Changing schema from … to … is not allowed" and "Trigger in wrong schema"), so they are
 * recreated in the target right after the rename: a view keeps working throughout (it names
 * its tables, which the rename replaced), only its definition changes a moment later.
 *
 * A swap is three steps: `prepareSwap` (schemas, and out of the way what would block the rename),
 * the RENAME of its pairs, `finishSwap` (views and routines, the old and shadow schemas dropped).
 * `publishShadow` runs them for the staging schema alone (the loader's `publish: true`); the daily
 * job joins the pairs into the one RENAME that publishes every layer (../publish/publish.ts).
 */
import { qualified, quoteIdent, type Db, type DbSession } from './db.ts';
import { relinkForeignKeys } from './foreign-keys.ts';
import type { Logger } from './log.ts';
import { renameStatement, replacePairs, type RenamePair } from './relations.ts';

/** The kinds of stored program a dump may create beside its tables. */
export type RoutineType = 'TRIGGER' | 'PROCEDURE' | 'FUNCTION' | 'EVENT';

export interface DeferredObject {
  type: 'VIEW' | RoutineType;
  name: string;
  /** The CREATE statement, with unqualified names (it runs with the target as default schema). */
  sql: string;
  /** The session settings (`SET SESSION …`) the dump gave it (sql_mode, character set). */
  sessionSql: string;
}

export interface SwapPlan {
  /** The published schema. */
  target: string;
  /** Where the new tables are (the shadow schema). */
  shadow: string;
  /** Where replaced tables go for the instant of the swap. */
  old: string;
  /** Tables in the shadow that go into the target (replacing a table of that name, if any). */
  replace: string[];
  /** Tables of the target that leave it (the vendor dropped them from the dump). */
  drop: string[];
  /** Tables of the target that stay as they are (identical to the last load). */
  unchanged: string[];
  /** Views of the target that are not in the dump any more. */
  dropViews: string[];
  /** Views, triggers and routines to create in the target after the rename, in order. */
  objects: DeferredObject[];
}

/** The `from TO to` pairs of one plan, for its own RENAME TABLE or one shared over several schemas. */
export function renamePairs(plan: SwapPlan, existing: ReadonlySet<string>): RenamePair[] {
  const pairs: RenamePair[] = [];
  for (const t of plan.replace) {
    const aside = existing.has(t) ? qualified(plan.old, t) : undefined;
    pairs.push(...replacePairs(qualified(plan.shadow, t), qualified(plan.target, t), aside));
  }
  for (const t of plan.drop) pairs.push([qualified(plan.target, t), qualified(plan.old, t)]);
  return pairs;
}

/** Base tables of a schema. */
export async function baseTables(db: Db | DbSession, schema: string): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [schema],
  );
  return new Set(rows.map((r) => r.name));
}

export async function views(db: Db | DbSession, schema: string): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'VIEW'",
    [schema],
  );
  return new Set(rows.map((r) => r.name));
}

/** Triggers on the given tables (they would block the move of their table to another schema). */
async function triggersOn(db: Db | DbSession, schema: string, tables: string[]): Promise<string[]> {
  if (!tables.length) return [];
  const rows = await db.query<{ name: string; tbl: string }>(
    'SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
    [schema],
  );
  const set = new Set(tables);
  return rows.filter((r) => set.has(r.tbl)).map((r) => r.name);
}

const CHARSET = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci';

/**
 * Before the RENAME: the target (if new) and an empty old schema; then out of the way what would
 * block the rename: triggers on tables that move (a trigger cannot leave its schema; the dump's
 * own are recreated by `finishSwap`) and a view of the target that a new table replaces. Returns
 * the rename pairs.
 */
export async function prepareSwap(s: Db | DbSession, plan: SwapPlan): Promise<RenamePair[]> {
  await s.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(plan.target)} ${CHARSET}`);
  await dropBeside(s, plan.target, [plan.old]);
  await s.exec(`CREATE DATABASE ${quoteIdent(plan.old)} ${CHARSET}`);
  const existing = await baseTables(s, plan.target);
  const targetViews = await views(s, plan.target);
  const moving = [...plan.replace.filter((t) => existing.has(t)), ...plan.drop];
  for (const trg of await triggersOn(s, plan.target, moving)) await s.exec(`DROP TRIGGER IF EXISTS ${qualified(plan.target, trg)}`);
  for (const trg of await triggersOn(s, plan.shadow, plan.replace)) await s.exec(`DROP TRIGGER IF EXISTS ${qualified(plan.shadow, trg)}`);
  for (const v of plan.replace.filter((t) => targetViews.has(t))) await s.exec(`DROP VIEW IF EXISTS ${qualified(plan.target, v)}`);
  return renamePairs(plan, existing);
}

/**
 * After the RENAME: foreign keys that point out of the target put back (kept tables beside
 * replaced ones: foreign-keys.ts), the dump's views and routines, its dropped views removed, the
 * old and shadow schemas dropped.
 */
export async function finishSwap(s: DbSession, plan: SwapPlan): Promise<void> {
  await relinkForeignKeys(s, plan.target, [plan.old, plan.shadow]);
  await createObjects(s, plan);
  for (const v of plan.dropViews) await s.exec(`DROP VIEW IF EXISTS ${qualified(plan.target, v)}`);
  await dropBeside(s, plan.target, [plan.old, plan.shadow]);
}

/**
 * Drops schemas beside `target` (its shadow, its old schema), first pointing back at `target` any
 * foreign key of it that references them: a run killed between its RENAME and `finishSwap` leaves
 * such keys, and the next run's clean-up must still succeed (foreign-keys.ts).
 */
export async function dropBeside(db: Db | DbSession, target: string, schemas: readonly string[]): Promise<void> {
  const run = async (s: DbSession) => {
    await relinkForeignKeys(s, target, schemas);
    for (const name of schemas) await s.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  };
  await ('withSession' in db ? db.withSession(run) : run(db));
}

/** Swaps the shadow into the target on its own: `prepareSwap`, one RENAME TABLE, `finishSwap`. */
export async function publishShadow(db: Db, plan: SwapPlan, log: Logger): Promise<void> {
  await db.withSession(async (s) => {
    const rename = renameStatement(await prepareSwap(s, plan));
    if (rename) await s.exec(rename);
    log.debug(`swapped ${plan.replace.length} tables into ${plan.target}, ${plan.drop.length} out`);
    await finishSwap(s, plan);
  });
}

/** Views and routines of the dump, created in `schema` (the target, or the shadow to check them). */
export async function createObjects(
  s: DbSession,
  plan: Pick<SwapPlan, 'objects' | 'target'>,
  _triggers = true,
  schema = plan.target,
): Promise<void> {
  if (!plan.objects.length) return;
  const [{ db: before }] = await s.query<{ db: string | null }>('SELECT DATABASE() AS db');
  const [{ mode }] = await s.query<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode');
  await s.exec(`USE ${quoteIdent(schema)}`);
  try {
    // mysqldump writes final views in name order (its stand-ins covered dependencies): a view on a
    // view that comes later fails the first time, so failed ones are retried while others succeed.
    let todo = [...plan.objects];
    for (;;) {
      const failed: Array<{ o: DeferredObject; err: unknown }> = [];
      for (const o of todo) {
        try {
          await s.exec(`DROP ${o.type} IF EXISTS ${qualified(schema, o.name)}`);
          if (o.sessionSql) await s.exec(o.sessionSql);
          await s.exec(o.type === 'VIEW' ? o.sql.replace(/^\s*CREATE\s+(OR\s+REPLACE\s+)?/i, 'CREATE OR REPLACE ') : o.sql);
        } catch (err) {
          failed.push({ o, err });
        }
      }
      if (failed.length === 0) break;
      if (failed.length === todo.length)
        throw Object.assign(failed[0]!.err as Error, {
          message: `${failed[0]!.o.type} ${failed[0]!.o.name}: ${(failed[0]!.err as Error).message}`,
        });
      todo = failed.map((f) => f.o);
    }
  } finally {
    await s.exec('SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci');
    await s.exec('SET SESSION sql_mode = ?', [mode]);
    if (before) await s.exec(`USE ${quoteIdent(before)}`);
  }
}
