/**
 * SQL literals as mysqldump writes them, and the tokens both the archive writer and its reader
 * digest, so that a written archive can be checked value by value against what the server sent.
 * https://dev.mysql.com/doc/refman/8.0/en/string-literals.html
 */

/** How a column's values are written: numbers bare, bytes as hex, everything else quoted. */
export type ValueKind = 'number' | 'bytes' | 'text';

const NUMERIC = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real', 'dec', 'fixed']);
const BINARY = new Set([
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'geometry', 'point', 'linestring', 'polygon',
  'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection',
]);

/** The kind of a column from information_schema.COLUMNS.DATA_TYPE. */
export function kindOf(dataType: string): ValueKind {
  const t = dataType.toLowerCase();
  if (NUMERIC.has(t)) return 'number';
  if (BINARY.has(t)) return 'bytes';
  return 'text';
}

const ESCAPES: Record<string, string> = { '\0': '\\0', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"', '\x1a': '\\Z' };

/** A quoted string with mysqldump's escapes (mysql_real_escape_string). */
export function quoteText(s: string): string {
  return "'" + s.replace(/[\0\n\r\\'"\x1a]/g, (c) => ESCAPES[c]!) + "'";
}

/** The literal for one value read as raw bytes from the text protocol (null is NULL). */
export function literal(raw: Buffer | null, kind: ValueKind): string {
  if (raw === null) return 'NULL';
  if (kind === 'number') return raw.toString('latin1');
  // X'' rather than '' for an empty value, so the reader can tell bytes from text by the literal.
  if (kind === 'bytes') return raw.length === 0 ? "X''" : '0x' + raw.toString('hex').toUpperCase();
  return quoteText(raw.toString('utf8'));
}

/**
 * The token a value contributes to a table's digest. The writer derives it from the server's
 * value, the reader from the literal it parsed; equal digests mean the file says what the server said.
 */
export function token(raw: Buffer | null, kind: ValueKind): string {
  if (raw === null) return 'N;';
  // Length-prefixed, so no value can imitate a boundary between values.
  if (kind === 'number') return `n${raw.length}:${raw.toString('latin1')}`;
  if (kind === 'bytes') return `x${raw.length}:${raw.toString('hex')}`;
  return `s${raw.length}:${raw.toString('utf8')}`;
}

/** Ends a row's tokens in a digest. */
export const ROW_END = '\n';
