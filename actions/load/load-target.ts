/**
 * Where `load --schema NAME` may write. The load replaces every table of its target, so a target
 * must be the loader's own: not a system schema, not one of the pipeline's layers or metadata
 * schemas (after the schema prefix), not a shadow or old schema, and not a schema holding tables
 * this loader did not put there (unless the user says --replace-existing). Checked before anything
 * is touched; a refusal is a usage error (exit 2).
 */
import { qualified, type Db } from '../platform/db.ts';
import { UsageError } from '../platform/errors.ts';
import { CONTENT_HASHES_TABLE } from '../platform/meta.ts';
import { OLD_SUFFIX, SHADOW_SUFFIX } from '../platform/schemas.ts';

const SYSTEM_SCHEMAS = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);
const PLAIN_NAME = /^[A-Za-z0-9_]{1,48}$/;

/**
 * `name` as given, `target` after the prefix; `reserved`: physical schema → what it is (the
 * pipeline's layers and metadata). Throws a UsageError when the target is not the loader's to fill.
 */
export function checkLoadTarget(name: string, target: string, reserved: ReadonlyMap<string, string>): void {
  if (!PLAIN_NAME.test(name))
    throw new UsageError(`--schema ${name} is not a plain schema name. To fix this, use letters, digits and underscores (at most 48).`);
  const lower = target.toLowerCase();
  if (SYSTEM_SCHEMAS.has(lower))
    throw new UsageError(`--schema ${name}: ${target} is a system schema of the server. To fix this, choose another schema name.`);
  for (const [schema, what] of reserved)
    if (schema.toLowerCase() === lower)
      throw new UsageError(
        `--schema ${name}: ${target} is the pipeline's ${what} schema, which a load would replace. To fix this, choose another schema name.`,
      );
  if (lower.endsWith(SHADOW_SUFFIX) || lower.endsWith(OLD_SUFFIX))
    throw new UsageError(
      `--schema ${name}: ${target} is a working schema of a swap. To fix this, choose a name without ${SHADOW_SUFFIX} or ${OLD_SUFFIX}.`,
    );
}

/**
 * Base tables of `target` that no load recorded (pipeline_meta.content_hashes): tables this loader
 * did not put there. Reads only; a missing schema or metadata table means none / all.
 */
export async function tablesNotLoaded(db: Db, target: string, metaSchema: string): Promise<string[]> {
  const tables = await db.query<{ t: string }>(
    "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    [target],
  );
  if (tables.length === 0) return [];
  const [meta] = await db.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [metaSchema, CONTENT_HASHES_TABLE],
  );
  const ours = new Set<string>();
  if (Number(meta!.n) > 0) {
    const rows = await db.query<{ t: string }>(
      `SELECT table_name AS t FROM ${qualified(metaSchema, CONTENT_HASHES_TABLE)} WHERE kind = 'staging' AND schema_name = ?`,
      [target],
    );
    for (const r of rows) ours.add(r.t);
  }
  return tables.map((r) => r.t).filter((t) => !ours.has(t));
}

/** The refusal for a target holding others' tables. */
export function foreignTablesError(name: string, target: string, foreign: readonly string[]): UsageError {
  const list = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
  return new UsageError(
    `--schema ${name}: ${target} holds tables this loader did not put there (${list}); a load would replace them all. To fix this, choose another schema, or pass --replace-existing if they may go.`,
  );
}
