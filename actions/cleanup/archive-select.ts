/**
 * The SELECT that reads one table for the archive with every row already written as its SQL
 * tuple `(1,'text',0xFF,NULL)` by the server. Formatting each value in JavaScript (a Buffer, a
 * string, an escape per value) cost more than the whole `mariadb-dump | gzip` it is measured
 * against; the server's QUOTE, HEX and CONCAT do it in C, and the driver hands over one value per
 * row. The literals restore the same values with the plain client (tests/cleanup/archive.test.ts
 * restores archives and compares CHECKSUM TABLE):
 * - numbers bare, as the server prints them (DECIMAL 12.50 keeps its digits);
 * - binary values (BLOB, BINARY, BIT, spatial) as 0x hex, an empty one as X'' (mysqldump --hex-blob);
 * - everything else through QUOTE(CONVERT(... USING utf8mb4)): one character set for the whole
 *   file, with `\\`, `\'`, `\0`, `\Z` escaped by QUOTE, and newlines and carriage returns escaped
 *   here so that no string spans lines. https://mariadb.com/kb/en/quote/
 * CONCAT returns NULL for a row longer than max_allowed_packet: the writer reports that.
 */
import { quoteIdent, qualified } from '../platform/db.ts';
import { valueKind, type ValueKind } from '../platform/sql-literal.ts';

export interface ArchiveColumn {
  name: string;
  kind: ValueKind;
}

export interface TablePlan {
  table: string;
  /** Columns that take a value on INSERT (generated ones are left out). */
  columns: ArchiveColumn[];
  /** Written as the INSERTs' column list: needed when a column is generated or invisible. */
  columnList?: string[];
  /** Primary key columns, in key order; empty when the table has none (read in one query). */
  key: ArchiveColumn[];
}

/** information_schema.COLUMNS rows of one table, in ORDINAL_POSITION order. */
export function planTable(table: string, cols: Array<{ name: string; dataType: string; extra: string }>, key: string[]): TablePlan {
  const takesValue = (extra: string) => !/\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(extra);
  const columns = cols.filter((c) => takesValue(c.extra)).map((c) => ({ name: c.name, kind: valueKind(c.dataType) }));
  const needsList = cols.some((c) => !takesValue(c.extra) || /\bINVISIBLE\b/i.test(c.extra));
  const keyColumns = key.map((k) => columns.find((c) => c.name === k));
  return {
    table,
    columns,
    columnList: needsList ? columns.map((c) => c.name) : undefined,
    key: keyColumns.every((c) => c !== undefined) ? (keyColumns as ArchiveColumn[]) : [],
  };
}

/** The SQL expression that gives one value as its literal. */
export function literalExpr(c: ArchiveColumn): string {
  const q = quoteIdent(c.name);
  switch (c.kind) {
    case 'number':
      return `COALESCE(${q}, 'NULL')`;
    case 'bytes':
      return `IF(${q} IS NULL, 'NULL', IF(LENGTH(${q}) = 0, 'X''''', CONCAT('0x', HEX(${q}))))`;
    case 'text':
      // QUOTE(NULL) is the word NULL. '\n' is a newline in SQL, '\\n' a backslash and an n.
      return `REPLACE(REPLACE(QUOTE(CONVERT(${q} USING utf8mb4)), '\\n', '\\\\n'), '\\r', '\\\\r')`;
  }
}

/**
 * One page of the table: the tuple first, then each key column's literal (for the next page's
 * WHERE). `after` holds the previous page's last key literals. Keyset paging in primary-key
 * order; a table without a primary key is read in one query.
 */
export function pageSql(schema: string, p: TablePlan, pageRows: number, after?: string[]): string {
  const tuple = `CONCAT('(', ${p.columns.map(literalExpr).join(", ',', ")}, ')')`;
  const keys = p.key.map(literalExpr);
  const select = `SELECT ${[tuple, ...keys].join(', ')} FROM ${qualified(schema, p.table)}`;
  if (p.key.length === 0) return select;
  const names = p.key.map((k) => quoteIdent(k.name));
  const where = after ? ` WHERE ${names.length === 1 ? `${names[0]} > ${after[0]}` : `(${names.join(', ')}) > (${after.join(', ')})`}` : '';
  return `${select}${where} ORDER BY ${names.join(', ')} LIMIT ${pageRows}`;
}
