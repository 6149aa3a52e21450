/**
 * How much space a schema holds, measured, not estimated: for InnoDB tables the size of their
 * tablespace files as the server reports them (INNODB_SYS_TABLESPACES on MariaDB,
 * INNODB_TABLESPACES on MySQL 8 / Aurora MySQL 3); for other engines, information_schema's
 * data and index lengths, which for them are the file sizes.
 */
import type { Db, DbSession } from '../platform/db.ts';

/**
 * MySQL 8 caches information_schema.TABLES statistics for a day by default; 0 reads them live.
 * MariaDB has no such cache (and no such variable), so the error there is expected.
 * https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_information_schema_stats_expiry
 */
export async function freshStatistics(s: DbSession): Promise<void> {
  try {
    await s.exec('SET SESSION information_schema_stats_expiry = 0');
  } catch {
    // MariaDB: statistics are always current.
  }
}

/**
 * InnoDB names a table's tablespace `schema/table` with the name encoded for the file system:
 * letters, digits and `_` as they are, anything else as @ and 4 hex digits.
 * https://dev.mysql.com/doc/refman/8.0/en/identifier-mapping.html
 */
export function tablespaceName(identifier: string): string {
  let out = '';
  for (const ch of identifier) {
    if (/[A-Za-z0-9_]/.test(ch)) out += ch;
    else out += '@' + ch.codePointAt(0)!.toString(16).padStart(4, '0');
  }
  return out;
}

export interface SchemaSpace {
  bytes: number;
  /** How it was measured. */
  method: 'tablespace files' | 'table statistics';
}

const TABLESPACE_VIEWS = ['information_schema.INNODB_SYS_TABLESPACES', 'information_schema.INNODB_TABLESPACES'];

export async function measureSchemaSpace(db: Db, schema: string): Promise<SchemaSpace> {
  return db.withSession(async (s) => {
    await freshStatistics(s);
    const [other] = await s.query<{ bytes: string | null }>(
      `SELECT SUM(DATA_LENGTH + INDEX_LENGTH) AS bytes FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND (ENGINE IS NULL OR ENGINE <> 'InnoDB')`,
      [schema],
    );
    const pattern = `${tablespaceName(schema).replace(/[\\%_]/g, (c) => '\\' + c)}/%`;
    for (const view of TABLESPACE_VIEWS) {
      try {
        const [ts] = await s.query<{ bytes: string | null }>(
          `SELECT SUM(GREATEST(COALESCE(ALLOCATED_SIZE, 0), COALESCE(FILE_SIZE, 0))) AS bytes FROM ${view} WHERE NAME LIKE ?`,
          [pattern],
        );
        return { bytes: Number(ts?.bytes ?? 0) + Number(other?.bytes ?? 0), method: 'tablespace files' as const };
      } catch {
        // This server has the other view (or neither).
      }
    }
    const [all] = await s.query<{ bytes: string | null }>(
      `SELECT SUM(DATA_LENGTH + INDEX_LENGTH + DATA_FREE) AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
      [schema],
    );
    return { bytes: Number(all?.bytes ?? 0), method: 'table statistics' as const };
  });
}
