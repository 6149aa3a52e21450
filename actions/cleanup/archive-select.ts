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
 *   file, with `\\`, `\'`, `\0`, `\Z` escaped by QUOTE, and carriage returns escaped here (the
 *   mariadb client drops a raw CR before a newline, even inside a string; a raw newline survives,
 *   so it is left as it is, one REPLACE less per value). https://mariadb.com/kb/en/quote/
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
  /** The first key column is an integer: the table can be read in ranges (see {@link splitRange}). */
  splittable: boolean;
}

/** information_schema.COLUMNS rows of one table, in ORDINAL_POSITION order. */
export function planTable(table: string, cols: Array<{ name: string; dataType: string; extra: string }>, key: string[]): TablePlan {
  const takesValue = (extra: string) => !/\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(extra);
  const columns = cols.filter((c) => takesValue(c.extra)).map((c) => ({ name: c.name, kind: valueKind(c.dataType) }));
  const needsList = cols.some((c) => !takesValue(c.extra) || /\bINVISIBLE\b/i.test(c.extra));
  const keyColumns = key.map((k) => columns.find((c) => c.name === k));
  const first = cols.find((c) => c.name === key[0]);
  return {
    splittable: first !== undefined && /^(tiny|small|medium|big)?int(eger)?$/i.test(first.dataType),
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
      // QUOTE(NULL) is the word NULL. '\r' is a carriage return in SQL, '\\r' a backslash and an r.
      return `REPLACE(QUOTE(CONVERT(${q} USING utf8mb4)), '\\r', '\\\\r')`;
  }
}

/**
 * A part of a table read on its own: first key column >= `from` (when given) and < `to` (when
 * given). The first part has no lower bound and the last no upper one, so rows written after
 * the bounds were chosen are still read by some part.
 */
export interface KeyRange {
  from?: string;
  to?: string;
}

/**
 * Splits a table whose first key column is an integer into about `rows / partRows` ranges of
 * equal width between `min` and `max`, so that several connections read it at once.
 */
export function splitRange(min: string, max: string, rows: number, partRows: number): KeyRange[] {
  const lo = BigInt(min);
  const span = BigInt(max) - lo + 1n;
  const count = Number(BigInt(Math.min(64, Math.ceil(rows / partRows))) < span ? BigInt(Math.min(64, Math.ceil(rows / partRows))) : span);
  if (count <= 1) return [{}];
  const width = span / BigInt(count);
  const bounds = Array.from({ length: count - 1 }, (_, i) => String(lo + width * BigInt(i + 1)));
  const parts: KeyRange[] = bounds.map((to, i) => (i === 0 ? { to } : { from: bounds[i - 1], to }));
  return [...parts, { from: bounds[bounds.length - 1] }];
}

/**
 * `(k1, k2, k3) > (v1, v2, v3)` written out as `k1 >= v1 AND (k1 > v1 OR (k2 >= v2 AND (k2 > v2
 * OR k3 > v3)))`: MariaDB 10.11 reads a row comparison with a full index scan (each page
 * would start from the table's first row), the expanded form as a range on the key.
 */
export function keyAfter(names: string[], values: string[]): string {
  const [k, v] = [names[0]!, values[0]!];
  if (names.length === 1) return `${k} > ${v}`;
  return `${k} >= ${v} AND (${k} > ${v} OR (${keyAfter(names.slice(1), values.slice(1))}))`;
}

/**
 * One page of the table: the tuple first, then each key column's literal (for the next page's
 * WHERE). `after` holds the previous page's last key literals. Keyset paging in primary-key
 * order; a table without a primary key is read in one query.
 */
export function pageSql(schema: string, p: TablePlan, pageRows: number, after?: string[], range: KeyRange = {}): string {
  const tuple = `CONCAT('(', ${p.columns.map(literalExpr).join(", ',', ")}, ')')`;
  const keys = p.key.map(literalExpr);
  const select = `SELECT ${[tuple, ...keys].join(', ')} FROM ${qualified(schema, p.table)}`;
  if (p.key.length === 0) return select;
  const names = p.key.map((k) => quoteIdent(k.name));
  const where = [
    range.from !== undefined ? `${names[0]} >= ${range.from}` : '',
    range.to !== undefined ? `${names[0]} < ${range.to}` : '',
    after ? keyAfter(names, after) : '',
  ].filter(Boolean);
  return `${select}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${names.join(', ')} LIMIT ${pageRows}`;
}
