/**
 * Column types of a seed: `column_types` when given, otherwise inferred from the values
 * (integer, decimal, date, datetime, boolean, text). Every value is checked against its column's
 * type before anything is loaded, so a bad value is an error naming file, line and column rather
 * than a half-loaded table. Empty fields are NULL.
 */
import type { Problem } from '../platform/errors.ts';
import type { SeedTable } from './seed-csv.ts';

export type ValueKind = 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean' | 'text';

export interface SeedColumn {
  readonly name: string;
  /** SQL type used in CREATE TABLE. */
  readonly sqlType: string;
  readonly kind: ValueKind;
  /** VARCHAR(n)/CHAR(n) limit, for checking. */
  readonly maxLength?: number;
}

const INTEGER = /^[+-]?(0|[1-9]\d*)$/;
// Values with leading zeros ('007') are codes, not numbers: they stay text.
const DECIMAL = /^[+-]?(0|[1-9]\d*)(?:\.(\d+))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,6}))?$/;
const BOOLEAN = /^(true|false)$/i;

function realDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function fits(kind: ValueKind, v: string): boolean {
  switch (kind) {
    case 'integer':
      return INTEGER.test(v) && Math.abs(Number(v)) < 9.2e18;
    case 'decimal':
      return DECIMAL.test(v);
    case 'date': {
      const m = DATE.exec(v);
      return !!m && realDate(m[1]!, m[2]!, m[3]!);
    }
    case 'datetime': {
      const m = DATETIME.exec(v) ?? DATE.exec(v);
      return !!m && realDate(m[1]!, m[2]!, m[3]!) && Number(m[4] ?? 0) < 24 && Number(m[5] ?? 0) < 60 && Number(m[6] ?? 0) < 60;
    }
    case 'boolean':
      return BOOLEAN.test(v) || v === '0' || v === '1';
    case 'text':
      return true;
  }
}

/** The kind of a declared SQL type (what its values are checked against). */
export function kindOfSqlType(sqlType: string): { kind: ValueKind; maxLength?: number } {
  const t = sqlType.trim().toLowerCase();
  if (/^(tiny|small|medium|big)?int(eger)?\b/.test(t) && !/^tinyint\(1\)/.test(t)) return { kind: 'integer' };
  if (/^(bool|boolean|tinyint\(1\))$/.test(t)) return { kind: 'boolean' };
  if (/^(decimal|numeric|float|double|real)\b/.test(t)) return { kind: 'decimal' };
  if (t === 'date') return { kind: 'date' };
  if (/^(datetime|timestamp)\b/.test(t)) return { kind: 'datetime' };
  const m = /^(?:var)?char\s*\(\s*(\d+)\s*\)/.exec(t);
  if (m) return { kind: 'text', maxLength: Number(m[1]) };
  return { kind: 'text' };
}

function inferColumn(name: string, values: readonly string[]): SeedColumn {
  const present = values.filter((v) => v !== '');
  const all = (kind: ValueKind) => present.length > 0 && present.every((v) => fits(kind, v));
  if (all('integer')) return { name, kind: 'integer', sqlType: 'BIGINT' };
  if (all('decimal')) {
    let intDigits = 1;
    let scale = 0;
    for (const v of present) {
      const m = DECIMAL.exec(v)!;
      intDigits = Math.max(intDigits, m[1]!.replace(/^0+(?=\d)/, '').length);
      scale = Math.max(scale, m[2]?.length ?? 0);
    }
    return { name, kind: 'decimal', sqlType: `DECIMAL(${Math.min(65, intDigits + scale)},${Math.min(30, scale)})` };
  }
  if (all('date')) return { name, kind: 'date', sqlType: 'DATE' };
  if (present.length > 0 && present.every((v) => DATETIME.test(v) && fits('datetime', v))) {
    const frac = Math.max(0, ...present.map((v) => DATETIME.exec(v)![7]?.length ?? 0));
    return { name, kind: 'datetime', sqlType: frac ? `DATETIME(${frac})` : 'DATETIME' };
  }
  if (present.length > 0 && present.every((v) => BOOLEAN.test(v))) return { name, kind: 'boolean', sqlType: 'BOOLEAN' };
  const longest = Math.max(1, ...present.map((v) => [...v].length));
  return { name, kind: 'text', sqlType: longest <= 255 ? 'VARCHAR(255)' : 'TEXT' };
}

/** The seed's columns, and a problem for every value that does not fit its column. */
export function seedColumns(
  table: SeedTable,
  columnTypes: Readonly<Record<string, string>>,
  file: string,
  problems: Problem[],
): SeedColumn[] {
  for (const name of Object.keys(columnTypes)) {
    if (!table.header.includes(name)) {
      problems.push({
        message: `column_types names '${name}', which is not a column of the CSV (${table.header.join(', ')}). To fix this, correct the name.`,
        location: { file, line: 1 },
      });
    }
  }
  const columns = table.header.map((name, i) => {
    const declared = columnTypes[name];
    if (declared === undefined)
      return inferColumn(
        name,
        table.rows.map((r) => r[i]!),
      );
    if (!/^[A-Za-z][A-Za-z0-9 _(),]*$/.test(declared)) {
      problems.push({
        message: `column_types.${name} '${declared}' is not a SQL type. To fix this, write e.g. INT, VARCHAR(20), DECIMAL(10,2), DATE.`,
        location: { file, line: 1 },
      });
    }
    return { name, sqlType: declared, ...kindOfSqlType(declared) };
  });
  let reported = 0;
  columns.forEach((col, i) => {
    table.rows.forEach((row, r) => {
      const v = row[i]!;
      if (v === '' || reported >= 20) return;
      const tooLong = col.maxLength !== undefined && [...v].length > col.maxLength;
      if (!fits(col.kind, v) || tooLong) {
        reported++;
        problems.push({
          message: `column '${col.name}' (column ${i + 1}): value ${JSON.stringify(v)} does not fit ${col.sqlType}${tooLong ? ` (longer than ${col.maxLength} characters)` : ''}. To fix this, correct the value or the column's type in column_types.`,
          location: { file, line: table.lines[r], column: i + 1 },
        });
      }
    });
  });
  return columns;
}

/** The value sent to the server: NULL for empty, 1/0 for booleans, a space instead of ISO's T. */
export function toSqlValue(col: SeedColumn, v: string): string | number | null {
  if (v === '') return null;
  switch (col.kind) {
    case 'boolean':
      return /^(true|1)$/i.test(v) ? 1 : 0;
    case 'datetime':
      return v.replace('T', ' ');
    default:
      return v;
  }
}
