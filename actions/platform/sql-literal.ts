/**
 * SQL literals exactly as mysqldump prints them in its INSERT statements.
 *
 * mysqldump writes every non-numeric value through `mysql_real_escape_string_quote`, which
 * backslash-escapes NUL, newline, carriage return, backslash, both quotes and Ctrl-Z
 * (https://dev.mysql.com/doc/c-api/8.0/en/mysql-real-escape-string-quote.html). Numeric columns
 * are written bare, and the strings 'inf', '-inf' and 'nan' become NULL.
 */

/** A value the dump writer can print. See {@link sqlLiteral}. */
export type DumpValue = null | undefined | number | bigint | boolean | string | Date | Uint8Array | SqlText;

/**
 * A value printed verbatim, e.g. a DECIMAL as the server shows it (`12.50`, where the number 12.5
 * would print `12.5`). The caller vouches that `text` is a valid SQL literal.
 */
export class SqlText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Wraps a DECIMAL (or any numeric) value that must keep its exact text, e.g. `decimal('12.50')`. */
export function decimal(text: string): SqlText {
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal literal: '${text}'`);
  return new SqlText(text);
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
};
const NEEDS_ESCAPE = /[\0\n\r\x1a\\'"]/;
const ESCAPE_ALL = /[\0\n\r\x1a\\'"]/g;

/** The body of a quoted string (without the quotes), escaped as mysqldump does. */
export function escapeString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, (c) => ESCAPES[c]!) : s;
}

/** `'...'` with mysqldump's escaping. */
export function quoteString(s: string): string {
  return `'${escapeString(s)}'`;
}

/**
 * A number as the server prints it: integers plainly, doubles in shortest round-trip form with
 * MySQL's exponent style (`1e21`, not `1e+21`). NaN and infinities print NULL, as mysqldump does.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'NULL';
  const s = String(n);
  return s.includes('e+') ? s.replace('e+', 'e') : s;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD HH:MM:SS` in UTC (the dump sets TIME_ZONE='+00:00'). */
export function formatDateTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/**
 * The SQL text of a non-binary value. Strings are quoted and escaped; numbers and bigints are
 * bare; booleans print 1/0; Dates print as quoted UTC DATETIMEs; null/undefined print NULL.
 * Binary values (Uint8Array) are not text: use {@link escapeBinary}.
 */
export function sqlLiteral(v: Exclude<DumpValue, Uint8Array>): string {
  switch (typeof v) {
    case 'string':
      return `'${escapeString(v)}'`;
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? '1' : '0';
    case 'undefined':
      return 'NULL';
    default:
      if (v === null) return 'NULL';
      if (v instanceof SqlText) return v.text;
      if (v instanceof Date) return `'${formatDateTime(v)}'`;
      throw new TypeError(`cannot write a value of type ${Object.prototype.toString.call(v)} to a dump`);
  }
}

/** Length of a lead byte's sequence in utf8mb4, as MySQL's my_mbcharlen_utf8mb4; 0 if not a lead. */
function mbCharLen(c: number): number {
  if (c < 0x80) return 1;
  if (c < 0xc2) return 0;
  if (c < 0xe0) return 2;
  if (c < 0xf0) return 3;
  if (c < 0xf8) return 4;
  return 0;
}

/** Length of a well-formed utf8mb4 character starting at `i`, or 0 (my_valid_mbcharlen_utf8mb4). */
function validMbLen(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = mbCharLen(c);
  if (n < 2 || i + n > b.length) return 0;
  const c1 = b[i + 1]!;
  if ((c1 & 0xc0) !== 0x80) return 0;
  if (n === 2) return 2;
  const c2 = b[i + 2]!;
  if ((c2 & 0xc0) !== 0x80) return 0;
  if (n === 3) return c === 0xe0 && c1 < 0xa0 ? 0 : 3;
  const c3 = b[i + 3]!;
  if ((c3 & 0xc0) !== 0x80) return 0;
  if (c === 0xf0 && c1 < 0x90) return 0;
  if (c > 0xf4 || (c === 0xf4 && c1 > 0x8f)) return 0;
  return 4;
}

const BYTE_ESCAPES = new Map<number, number>([
  [0x00, 0x30], // \0
  [0x0a, 0x6e], // \n
  [0x0d, 0x72], // \r
  [0x1a, 0x5a], // \Z
  [0x5c, 0x5c], // \\
  [0x27, 0x27], // \'
  [0x22, 0x22], // \"
]);

/**
 * The body of a quoted binary string, escaped byte for byte as `escape_string_for_mysql` does on
 * a utf8mb4 connection: valid multi-byte characters pass through, the seven special bytes get a
 * backslash, and a byte that looks like the start of a multi-byte character but is not one also
 * gets a backslash (so the escaped text cannot form a character that swallows a quote).
 * See https://github.com/mysql/mysql-server/blob/8.0/mysys/charset.cc (escape_string_for_mysql).
 * MariaDB's client (10.11) does not escape such lead bytes: pass `escapeLeadBytes = false`.
 */
export function escapeBinary(b: Uint8Array, escapeLeadBytes = true): Buffer {
  const out = Buffer.allocUnsafe(b.length * 2);
  let o = 0;
  for (let i = 0; i < b.length; ) {
    const l = validMbLen(b, i);
    if (l > 1) {
      for (let k = 0; k < l; k++) out[o++] = b[i + k]!;
      i += l;
      continue;
    }
    const c = b[i]!;
    const esc = BYTE_ESCAPES.get(c);
    if (esc !== undefined) {
      out[o++] = 0x5c;
      out[o++] = esc;
    } else if (escapeLeadBytes && mbCharLen(c) > 1) {
      out[o++] = 0x5c;
      out[o++] = c;
    } else {
      out[o++] = c;
    }
    i++;
  }
  return out.subarray(0, o);
}

const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'dec',
  'fixed',
  'numeric',
  'float',
  'double',
  'real',
  'year',
]);
const BINARY_TYPES = new Set([
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

/** How a column's values are written in a dump: numbers bare, bytes as binary, everything else quoted. */
export type ValueKind = 'number' | 'bytes' | 'text';

/** The kind of a column from its `information_schema.COLUMNS.DATA_TYPE`. */
export function valueKind(dataType: string): ValueKind {
  const t = dataType.toLowerCase();
  return NUMERIC_TYPES.has(t) ? 'number' : BINARY_TYPES.has(t) ? 'bytes' : 'text';
}

/**
 * The dump value of a column read through the driver (mysql2 with `dateStrings` and
 * `bigNumberStrings`, as db.ts opens it), given the column's `information_schema.COLUMNS.DATA_TYPE`:
 * numbers and DECIMAL text print bare (as mysqldump prints numeric columns), binary columns as
 * binary strings, everything else (dates included) as quoted text. For archiving a live table
 * with {@link DumpWriter.row}.
 */
export function dumpValue(dataType: string, v: unknown): DumpValue {
  if (v === null || v === undefined) return null;
  const kind = valueKind(dataType);
  if (kind === 'number') {
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    const text = String(v);
    // Like mysqldump, a non-number in a numeric column ('inf', 'nan') prints NULL.
    return /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text) ? new SqlText(text) : null;
  }
  if (kind === 'bytes') return v instanceof Uint8Array ? v : Buffer.from(String(v), 'binary');
  if (v instanceof Date) return v;
  if (v instanceof Uint8Array) return v.toString();
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
