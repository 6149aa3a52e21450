/**
 * What a run must not leave behind once the next run has finished: shadow and old schemas
 * (`__shadow`, `__old`), tables under a temporary name in a published schema, InnoDB's orphaned
 * `#sql-` tables (left by a crash in the middle of an ALTER), and run rows still marked running.
 * https://mariadb.com/kb/en/troubleshooting-row-size-too-large-errors-with-innodb/ (orphan #sql tables)
 */
import { qualified, type Db } from '../../actions/platform/db.ts';
import { isShadowOrOld, schemasOfPrefix } from './snapshot.ts';

export interface Leftover {
  kind: 'shadow or old schema' | 'temporary table' | 'orphan InnoDB table' | 'unexpected table' | 'run still marked running';
  name: string;
}

/** Names that the loader and the model engine give to tables they build before a swap. */
export const TEMPORARY_TABLE_NAME = /(__tmp|__new|__old|__shadow|__backup|__dbt_tmp|__build|^#sql|^tmp_)/i;

export interface LeftoverOptions {
  /** Tables each published schema should hold (from a clean run): anything else is a leftover. */
  expectedTables?: Record<string, string[]>;
  /** The meta schema: a run still marked 'running' there, with no live connection, is a leftover. */
  metaSchema?: string;
}

export async function findLeftovers(db: Db, prefix: string, options: LeftoverOptions = {}): Promise<Leftover[]> {
  const found: Leftover[] = [];
  const schemas = await schemasOfPrefix(db, prefix);
  for (const schema of schemas) {
    if (isShadowOrOld(schema)) {
      found.push({ kind: 'shadow or old schema', name: schema });
      continue;
    }
    const tables = await db.query<{ name: string }>(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
      [schema],
    );
    const expected = options.expectedTables?.[schema];
    for (const { name } of tables) {
      if (TEMPORARY_TABLE_NAME.test(name)) found.push({ kind: 'temporary table', name: `${schema}.${name}` });
      else if (expected && !expected.includes(name)) found.push({ kind: 'unexpected table', name: `${schema}.${name}` });
    }
  }
  // InnoDB keeps tables it could not finish renaming as `schema/#sql-...`; information_schema.TABLES hides them.
  const orphans = await db.query<{ name: string }>(
    "SELECT NAME AS name FROM information_schema.INNODB_SYS_TABLES WHERE NAME LIKE ? AND NAME LIKE '%#sql%'",
    [`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  );
  for (const o of orphans) found.push({ kind: 'orphan InnoDB table', name: o.name });
  if (options.metaSchema && schemas.includes(options.metaSchema)) {
    const running = await db.query<{ run_id: string }>(
      `SELECT run_id FROM ${qualified(options.metaSchema, 'runs')}
        WHERE status = 'running' AND connection_id NOT IN (SELECT ID FROM information_schema.PROCESSLIST)`,
    );
    for (const r of running) found.push({ kind: 'run still marked running', name: r.run_id });
  }
  return found;
}

export function describeLeftovers(l: Leftover[]): string {
  return l.map((x) => `${x.kind} ${x.name}`).join('; ');
}
