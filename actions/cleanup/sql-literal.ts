/**
 * SQL literals as mysqldump writes them, and the tokens both the archive writer and its reader
 * digest, so that a written archive can be checked value by value against what the server sent.
 * Binary values are written as hex (mysqldump --hex-blob), so that every byte survives any
 * client character set.
 * https://dev.mysql.com/doc/refman/8.0/en/string-literals.html
 */
import { quoteString } from '../platform/sql-literal.ts';

/** How a column's values are written: numbers bare, bytes as hex, everything else quoted. */
export type ValueKind = 'number' | 'bytes' | 'text';

const NUMERIC = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
  'dec',
  'fixed',
]);
const BINARY = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'bit',
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);

/** The kind of a column from information_schema.COLUMNS.DATA_TYPE. */
export function kindOf(dataType: string): ValueKind {
  const t = dataType.toLowerCase();
  if (NUMERIC.has(t)) return 'number';
  if (BINARY.has(t)) return 'bytes';
  return 'text';
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

/** The literal and the digest token of one value, computing its text once. */
export function encode(raw: Buffer | null, kind: ValueKind): [literal: string, token: string] {
  if (raw === null) return ['NULL', 'N;'];
  if (kind === 'number') {
    const t = raw.toString('latin1');
    return [t, `n${raw.length}:${t}`];
  }
  if (kind === 'bytes') {
    const hex = raw.toString('hex');
    // X'' rather than '' for an empty value, so the reader can tell bytes from text by the literal.
    return [raw.length === 0 ? "X''" : '0x' + hex.toUpperCase(), `x${raw.length}:${hex}`];
  }
  const t = raw.toString('utf8');
  return [quoteString(t), `s${raw.length}:${t}`];
}

/** Ends a row's tokens in a digest. */
export const ROW_END = '\n';
