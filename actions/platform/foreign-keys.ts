/**
 * Foreign keys after a partial swap. The loader keeps tables whose content did not change and
 * swaps in the rest, so a foreign key can end up pointing out of the published schema:
 *  - a kept child's key follows its replaced parent into the `…__old` schema (RENAME TABLE carries
 *    references along: https://mariadb.com/kb/en/rename-table/), and dropping that schema then
 *    fails with "Cannot delete or update a parent row" (error 1451);
 *  - a new child loaded without its (unchanged, hence not loaded) parent references the parent's
 *    name in the shadow schema, which is dropped a moment later.
 * Both are pointed back at the published table of that name. With foreign_key_checks off, InnoDB
 * drops and adds a foreign key in place, without copying the table or checking its rows
 * (https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-inplace-alter-algorithm/).
 */
import { qualified, quoteIdent, type DbSession } from './db.ts';

interface KeyColumn {
  tbl: string;
  name: string;
  refTable: string;
  col: string;
  refCol: string;
  upd: string;
  del: string;
}

/**
 * An explicit ON DELETE / ON UPDATE rule; none for InnoDB's default (RESTRICT, which the server
 * reports as NO ACTION for a key whose parent it could not find), so the key reads as the dump wrote it.
 */
function rule(event: string, action: string): string {
  return action === 'RESTRICT' || action === 'NO ACTION' ? '' : ` ON ${event} ${action}`;
}

/** Points every foreign key of `target` that references a table in one of `away` at `target`'s table of that name. */
export async function relinkForeignKeys(s: DbSession, target: string, away: readonly string[]): Promise<number> {
  if (away.length === 0) return 0;
  const rows = await s.query<KeyColumn>(
    `SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.REFERENCED_TABLE_NAME AS refTable,
            k.COLUMN_NAME AS col, k.REFERENCED_COLUMN_NAME AS refCol, r.UPDATE_RULE AS upd, r.DELETE_RULE AS del
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_SCHEMA IN (${away.map(() => '?').join(', ')})
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [target, ...away],
  );
  if (rows.length === 0) return 0;
  const keys = new Map<string, KeyColumn[]>();
  for (const r of rows) {
    const id = `${r.tbl}\u0000${r.name}`;
    keys.set(id, [...(keys.get(id) ?? []), r]);
  }
  const [{ checks }] = (await s.query<{ checks: number | string }>('SELECT @@SESSION.foreign_key_checks AS checks')) as [
    { checks: number | string },
  ];
  await s.exec('SET SESSION foreign_key_checks = 0');
  try {
    for (const cols of keys.values()) {
      const { tbl, name, refTable, upd, del } = cols[0]!;
      const table = qualified(target, tbl);
      await s.exec(`ALTER TABLE ${table} DROP FOREIGN KEY ${quoteIdent(name)}`);
      await s.exec(
        `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${cols.map((c) => quoteIdent(c.col)).join(', ')}) ` +
          `REFERENCES ${qualified(target, refTable)} (${cols.map((c) => quoteIdent(c.refCol)).join(', ')})${rule('DELETE', del)}${rule('UPDATE', upd)}`,
      );
    }
  } finally {
    await s.exec(`SET SESSION foreign_key_checks = ${Number(checks) ? 1 : 0}`);
  }
  return keys.size;
}
