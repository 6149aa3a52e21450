/**
 * Relations on the server: what exists, schemas created on demand, and the atomic swap that
 * puts a freshly built table in place. `RENAME TABLE a TO a_old, a_new TO a` is one atomic
 * statement, so a reader sees the old table or the new one, never none (dbt's MySQL adapter
 * drops first, then renames: a window with no table).
 * https://dev.mysql.com/doc/refman/8.0/en/rename-table.html
 */
import { createHash } from 'node:crypto';
import { qualified, quoteIdent, type Db, type DbSession } from './db.ts';

export type RelationKind = 'table' | 'view';
type Conn = Db | DbSession;

export async function relationKind(db: Conn, schema: string, name: string): Promise<RelationKind | undefined> {
  const rows = await db.query<{ t: string }>(
    'SELECT TABLE_TYPE AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, name],
  );
  if (rows.length === 0) return undefined;
  return rows[0]!.t === 'VIEW' ? 'view' : 'table';
}

export async function ensureSchema(db: Conn, schema: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

export async function dropRelation(db: Conn, schema: string, name: string, kind?: RelationKind): Promise<void> {
  const k = kind ?? (await relationKind(db, schema, name));
  if (k === 'view') await db.exec(`DROP VIEW IF EXISTS ${qualified(schema, name)}`);
  else if (k === 'table') await db.exec(`DROP TABLE IF EXISTS ${qualified(schema, name)}`);
}

/** A name beside `name` for building (`__new`) or retiring (`__old`), within MySQL's 64 characters. */
export function besideName(name: string, suffix: '__new' | '__old'): string {
  const full = name + suffix;
  if (full.length <= 64) return full;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 64 - suffix.length - 9)}_${hash}${suffix}`;
}

/** One rename, `[from, to]`, of qualified names. */
export type RenamePair = [string, string];

/**
 * The renames that put `incoming` in place of `place`: whatever is at `place` first moves `aside`
 * (when something is there), in the same statement, so a reader never finds the place empty.
 */
export function replacePairs(incoming: string, place: string, aside?: string): RenamePair[] {
  return aside === undefined
    ? [[incoming, place]]
    : [
        [place, aside],
        [incoming, place],
      ];
}

/**
 * ONE `RENAME TABLE` over every pair, which MySQL and MariaDB run atomically (one pair after the
 * other, so a name freed by an earlier pair can be taken by a later one). `multiline` puts a pair
 * on a line, for the long statement that publishes a whole run. Undefined when there is nothing to rename.
 */
export function renameStatement(pairs: readonly RenamePair[], multiline = false): string | undefined {
  if (pairs.length === 0) return undefined;
  const list = pairs.map(([a, b]) => `${a} TO ${b}`);
  return multiline ? `RENAME TABLE\n  ${list.join(',\n  ')}` : `RENAME TABLE ${list.join(', ')}`;
}

/**
 * Puts the table `built` in place of `target` (same schema) in one RENAME, then drops what was
 * there. Whatever `target` was (table or view) is replaced: a view can be renamed within its schema.
 */
export async function swapIn(db: Conn, schema: string, built: string, target: string): Promise<void> {
  const existing = await relationKind(db, schema, target);
  const old = besideName(target, '__old');
  if (existing) await dropRelation(db, schema, old);
  const aside = existing ? qualified(schema, old) : undefined;
  await db.exec(renameStatement(replacePairs(qualified(schema, built), qualified(schema, target), aside))!);
  if (existing) await dropRelation(db, schema, old, existing);
}
