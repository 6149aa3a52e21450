/**
 * Values for the vendor's own tables (everything but the five warehouse tables and the logs):
 * each column compiles once into a small function that prints a SQL literal, chosen by the
 * column's `~kind` or inferred from its name and type (tenant_id → an id of tenants,
 * created_at → a timestamp that grows with the row id, amount → yen, email → an address, ...).
 */
import type { Calendar } from './calendar.ts';
import type { ColumnDef } from './ddl.ts';
import { FAMILY, GIVEN_FEMALE, GIVEN_MALE, COMPANIES, EMAIL_DOMAINS, PLACES, REMARKS, SCHOOLS } from './pools.ts';
import type { Rng } from './prng.ts';
import { dateSql, dateTimeSql, str } from './table-source.ts';

/**
 * Per-row context: the row id and the day/second the row was created. A value dated after the
 * creation (a payment's date, a soft delete) is written only once that day has come, and marks
 * the row as changed then (`touched`): updated_at, computed after every other column, follows it.
 */
export interface RowContext {
  rng: Rng;
  id: number;
  day: number;
  second: number;
  cal: Calendar;
  dumpDay: number;
  /** The last day, by the dump date, on which one of the row's values was written. */
  touched: number;
}

export type ValueFn = (x: RowContext) => string;

/** The sizes value functions need: rows of a table by a day (foreign keys), rows by the epoch. */
export interface TableSizes {
  /** Rows of `table` that exist on a day; undefined for a table that is not in the dump. */
  rowsOn(table: string): ((day: number) => number) | undefined;
  /** Rows of `table` by the epoch. */
  atEpoch(table: string): number | undefined;
}

const WORDS = [
  '入居案内',
  '契約更新のお知らせ',
  '設備点検',
  '清掃完了',
  '鍵交換',
  '家賃のご案内',
  '退去立会い',
  'Wi-Fi工事',
  '共用部清掃',
  'ゴミ出しルール',
  '騒音について',
  '防災訓練',
  '内見予約',
  '料金改定',
  'キャンペーン',
  '年末年始休業',
  'エアコン修理',
  '給湯器交換',
  '駐輪場整理',
  '郵便物',
  'Welcome to Tokyo',
  'House rules',
  'Move-out checklist',
];

const IRREGULAR: Record<string, string> = {
  inquiry: 'inquiries',
  company: 'companies',
  category: 'categories',
  facility: 'facilities',
  reply: 'replies',
  property: 'properties',
};
const ALIASES: Record<string, string> = {
  created_by: 'admin_users',
  updated_by: 'admin_users',
  staff_id: 'admin_users',
  assigned_to: 'admin_users',
  owner_id: 'apartment_owners',
  role_id: 'admin_roles',
  user_id: 'tenants',
  contract_id: 'movings',
};

function referencedTable(column: string): string | undefined {
  if (ALIASES[column]) return ALIASES[column];
  const m = /^(.*)_id$/.exec(column);
  if (!m) return undefined;
  const base = m[1]!;
  if (IRREGULAR[base]) return IRREGULAR[base];
  if (base.endsWith('s')) return base;
  return /[^aeiou]y$/.test(base) ? `${base.slice(0, -1)}ies` : `${base}s`;
}

/** The value kind of a column: its `~kind`, or one inferred from its name and type. */
export function columnKind(c: ColumnDef): string {
  return c.kind || inferKind(c);
}

function inferKind(c: ColumnDef): string {
  const n = c.name;
  const t = c.type;
  if (c.autoIncrement) return 'id';
  if (n === 'created_at') return 'created';
  if (n === 'updated_at') return 'updated';
  if (n === 'deleted_at') return 'deleted';
  if (referencedTable(n) && /int/.test(t)) return `fk:${referencedTable(n)}`;
  if (/^is_(active|public|enabled|published|available)$/.test(n)) return 'flag:0.9';
  if (/^is_|_flag$/.test(n)) return 'flag:0.08';
  if (/birth/.test(n)) return 'birth';
  if (/_date$|_on$/.test(n) || t === 'date') return 'date';
  if (/_at$/.test(n) || t === 'datetime' || t === 'timestamp') return 'dt';
  if (/amount|price|fee|rent|total|tax|deposit|balance|cost|refund/.test(n))
    return /decimal/.test(t) ? 'dec:100:150000' : 'money:500:150000';
  if (/email/.test(n)) return 'email';
  if (/tel|phone|fax/.test(n)) return 'tel';
  if (/zip|postal/.test(n)) return 'zip';
  if (/address/.test(n) && !/ip/.test(n)) return 'address';
  if (/ip_address|^ip$/.test(n)) return 'ip';
  if (/kana/.test(n)) return 'kana';
  if (/company|corporate/.test(n)) return 'company';
  if (/school/.test(n)) return 'school';
  if (/(^|_)(name|person)$/.test(n) && /^(contact|guarantor|person|owner|holder|staff|account)/.test(n)) return 'person';
  if (/url|path|file|image/.test(n)) return 'url';
  if (/token|hash|uuid|secret|signature/.test(n)) return 'hex:32';
  if (/code$|number$|_no$/.test(n)) return 'code';
  if (/body|content|description|note|memo|remark|comment|message|detail|answer/.test(n)) return 'text';
  if (/json|payload|data$/.test(n)) return 'json';
  if (/status|type|kind|category|priority|level|method|channel/.test(n) && /int/.test(t)) return 'code:5';
  if (/^tinyint/.test(t)) return 'code:3';
  if (/^smallint/.test(t)) return 'int:1:100';
  if (/int/.test(t)) return 'int:1:10000';
  if (/decimal/.test(t)) return 'dec:0:1000';
  if (/text/.test(t)) return 'text';
  return 'title';
}

const nullable = (c: ColumnDef, rate: number, fn: ValueFn): ValueFn => (c.notNull ? fn : (x) => (x.rng.chance(rate) ? 'NULL' : fn(x)));

/** A value written on `day`: the row changed then. */
function touch(x: RowContext, day: number): void {
  if (day > x.touched) x.touched = day;
}

/**
 * Compiles one column into its value function. `sizes` gives the rows of a referenced table: a
 * reference points at a row that existed when this row was created.
 */
export function compileColumn(c: ColumnDef, sizes: TableSizes): ValueFn {
  const kind = columnKind(c);
  const [k, a, b] = kind.split(':');
  const lo = Number(a);
  const hi = Number(b);
  switch (k) {
    case 'id':
      return (x) => String(x.id);
    case 'fk': {
      const rowsOn = sizes.rowsOn(a!);
      if (rowsOn === undefined) throw new Error(`column ${c.name}: table '${a}' is not in the dump`);
      const none = c.notNull ? '0' : 'NULL';
      return nullable(c, 0.05, (x) => {
        const n = rowsOn(x.day);
        const r = x.rng.next();
        return n > 0 ? String(1 + Math.floor(r * n)) : none;
      });
    }
    case 'created':
      return (x) => dateTimeSql(x.cal, x.day, x.second);
    case 'updated':
      // Evaluated after the row's other columns (catalog.ts): the later of its own edit (0-60
      // days after creation, once that day has come) and the day another value was written.
      return (x) => {
        const lag = x.rng.chance(0.6) ? 0 : x.rng.int(1, 60);
        const sameDay = Math.min(86399, x.second + x.rng.int(0, 600));
        const later = x.rng.int(0, 86399);
        const edited = x.day + lag <= x.dumpDay ? x.day + lag : x.day;
        if (x.touched > edited) return dateTimeSql(x.cal, x.touched, later);
        return dateTimeSql(x.cal, edited, edited === x.day ? sameDay : later);
      };
    case 'deleted':
      return (x) => {
        if (!x.rng.chance(0.03)) return 'NULL';
        const d = x.day + x.rng.int(1, 300);
        const s = x.rng.int(0, 86399);
        if (d > x.dumpDay) return 'NULL';
        touch(x, d);
        return dateTimeSql(x.cal, d, s);
      };
    case 'flag': {
      const p = Number(a);
      return (x) => (x.rng.chance(p) ? '1' : '0');
    }
    case 'date':
      // A required date is known when the row is created, and may lie ahead (a due or scheduled
      // date); an optional one is written once its day has come.
      if (c.notNull) return (x) => dateSql(x.cal, x.day + x.rng.int(-10, 30));
      return nullable(c, 0.1, (x) => {
        const d = x.day + x.rng.int(-10, 30);
        if (d > x.dumpDay) return 'NULL';
        touch(x, d);
        return dateSql(x.cal, d);
      });
    case 'dt':
      // A required time is the creation's day; an optional one (paid, completed, read) comes 0-20
      // days later and is written once it has happened.
      if (c.notNull) return (x) => dateTimeSql(x.cal, x.day, x.rng.int(0, 86399));
      return nullable(c, 0.1, (x) => {
        const d = x.day + x.rng.int(0, 20);
        const s = x.rng.int(0, 86399);
        if (d > x.dumpDay) return 'NULL';
        touch(x, d);
        return dateTimeSql(x.cal, d, s);
      });
    case 'birth':
      return nullable(c, 0.05, (x) => dateSql(x.cal, x.day - x.rng.int(18 * 365, 70 * 365)));
    case 'money':
      return nullable(c, 0.02, (x) => String(x.rng.int(lo / 100, hi / 100) * 100));
    case 'dec':
      return nullable(c, 0.02, (x) => `${x.rng.int(lo, hi)}.${String(x.rng.int(0, 99)).padStart(2, '0')}`);
    case 'int':
      return nullable(c, 0.03, (x) => String(x.rng.int(lo, hi)));
    case 'code':
      if (a) return nullable(c, 0.02, (x) => String(x.rng.int(1, lo)));
      {
        // A letter and the id, padded to fit the column (char(4) gets 'B001').
        const width = Math.min(8, Number(/\((\d+)\)/.exec(c.type)?.[1] ?? 9) - 1);
        const letter = c.name.slice(0, 1).toUpperCase();
        return (x) => `'${letter}${String(x.id).padStart(width, '0').slice(-width)}'`;
      }
    case 'pick': {
      const numeric = /int|decimal/.test(c.type);
      const items = a!.split('|').map((s) => (numeric ? s : str(s)));
      return nullable(c, 0.02, (x) => x.rng.pick(items));
    }
    case 'email':
      return nullable(c, 0.05, (x) => `'user${x.id}.${x.rng.int(10, 99)}@${x.rng.pick(EMAIL_DOMAINS)}'`);
    case 'tel':
      return nullable(c, 0.05, (x) => `'0${x.rng.pick(['3', '80', '90', '70'])}-${x.rng.int(1000, 9999)}-${x.rng.int(1000, 9999)}'`);
    case 'zip':
      return nullable(c, 0.05, (x) => `'${x.rng.int(100, 399)}-${String(x.rng.int(0, 9999)).padStart(4, '0')}'`);
    case 'address':
      return nullable(c, 0.05, (x) => {
        const p = x.rng.pick(PLACES);
        return str(`${p[0]}${p[1]}${p[2]}${x.rng.int(1, 5)}-${x.rng.int(1, 30)}-${x.rng.int(1, 20)}`);
      });
    case 'ip':
      return (x) => `'${x.rng.int(1, 223)}.${x.rng.int(0, 255)}.${x.rng.int(0, 255)}.${x.rng.int(1, 254)}'`;
    case 'person':
      return nullable(c, 0.03, (x) =>
        str(`${x.rng.pick(FAMILY)[0]}　${x.rng.chance(0.5) ? x.rng.pick(GIVEN_MALE)[0] : x.rng.pick(GIVEN_FEMALE)[0]}`),
      );
    case 'kana':
      return nullable(c, 0.05, (x) => str(`${x.rng.pick(FAMILY)[1]} ${x.rng.pick(GIVEN_FEMALE)[1]}`));
    case 'company':
      return nullable(c, 0.1, (x) => str(x.rng.pick(COMPANIES)));
    case 'school':
      return nullable(c, 0.1, (x) => str(x.rng.pick(SCHOOLS)));
    case 'url':
      return nullable(c, 0.05, (x) => `'/storage/uploads/${x.cal.year(x.day)}/${x.id.toString(36)}_${x.rng.u32().toString(16)}.jpg'`);
    case 'hexid': {
      // A random-looking key that still grows with the row id: mysqldump writes rows in primary
      // key order, so a table keyed by such ids must be generated in that order. The key space
      // holds 16 times the rows by the epoch: the table keeps growing after it.
      const rows = 16 * (sizes.atEpoch('self') ?? 1);
      return (x) => {
        const head = Math.floor(((x.id - 1 + x.rng.next()) * 4294967296) / rows);
        return `'${head.toString(16).padStart(8, '0')}${x.rng.u32().toString(16).padStart(8, '0')}${x.rng.u32().toString(16).padStart(8, '0')}${x.rng.u32().toString(16).padStart(8, '0')}'`;
      };
    }
    case 'hex':
      return (x) =>
        `'${x.rng.u32().toString(16).padStart(8, '0')}${x.rng.u32().toString(16).padStart(8, '0')}${x.rng.u32().toString(16).padStart(8, '0')}${x.rng.u32().toString(16).padStart(8, '0')}'`;
    case 'text':
      return nullable(c, 0.2, (x) => {
        let s = x.rng.pick(REMARKS);
        const more = x.rng.int(0, 3);
        for (let i = 0; i < more; i++) s += `。${x.rng.pick(REMARKS)}`;
        return str(s);
      });
    case 'json':
      return nullable(c, 0.1, (x) => str(`{"id":${x.id},"status":${x.rng.int(1, 5)},"note":"${x.rng.pick(WORDS)}"}`));
    case 'title':
      return nullable(c, 0.03, (x) => str(x.rng.pick(WORDS)));
    default:
      throw new Error(`column ${c.name}: unknown value kind '${kind}'`);
  }
}
