/**
 * The objects dbt's Jinja hands to templates, with the methods packages call on them:
 * - Relation (`{{ this }}`, `ref()`, `api.Relation.create`): `schema`, `identifier`, `name`,
 *   `database` (MySQL has no separate database: dbt-mysql makes it the schema and never renders
 *   it), `type`, `render()`, `include()`, `incorporate()`, `quote()`, `is_table`, `is_view`.
 * - Column (`adapter.get_columns_in_relation`, `api.Column`): `name`, `quoted`, `dtype`,
 *   `data_type`, `is_string()`, `is_number()`, ...
 * - An agate-like table (`run_query`, `load_result(...).table`): a list of rows (`[0][0]`) with
 *   `.rows`, `.columns[i].values()`, `.column_names`; each row is a list with the values also by
 *   column name.
 * https://docs.getdbt.com/reference/dbt-classes
 */
import { qualified, quoteIdent } from '../../platform/db.ts';
import { splitArgs } from './jinja-args.ts';
import type { Relation } from './types.ts';

export type RelationType = 'table' | 'view' | 'cte' | 'external' | null;

export class DbtRelation implements Relation {
  readonly database: string;
  readonly name: string;
  /** What dbt_utils' `_is_relation` looks for (`obj.get('metadata').get('type')` ends with Relation). */
  readonly metadata = { type: 'MySQLRelation' };
  constructor(
    readonly schema: string,
    readonly identifier: string,
    readonly type: RelationType = null,
    /** Set for a relation that is a query (a test's `where` subquery): what it renders as. */
    private readonly sql?: string,
  ) {
    this.database = schema;
    this.name = identifier;
    Object.freeze(this);
  }
  get is_table(): boolean {
    return this.type === 'table';
  }
  get is_view(): boolean {
    return this.type === 'view';
  }
  get is_cte(): boolean {
    return this.type === 'cte';
  }
  render(): string {
    if (this.sql !== undefined) return this.sql;
    return this.schema ? qualified(this.schema, this.identifier) : quoteIdent(this.identifier);
  }
  toString(): string {
    return this.render();
  }
  toJSON(): string {
    return this.render();
  }
  /** MySQL relations never render a database; schema/identifier parts stay. */
  include(): DbtRelation {
    return this;
  }
  quote(): DbtRelation {
    return this;
  }
  incorporate(...args: unknown[]): DbtRelation {
    const { keywords } = splitArgs(args);
    const path = (keywords.path ?? {}) as { schema?: string; identifier?: string };
    return new DbtRelation(path.schema ?? this.schema, path.identifier ?? this.identifier, (keywords.type as RelationType) ?? this.type);
  }
  replace_path(...args: unknown[]): DbtRelation {
    const { keywords } = splitArgs(args);
    return new DbtRelation((keywords.schema as string) ?? this.schema, (keywords.identifier as string) ?? this.identifier, this.type);
  }
}

/** A relation that renders as a query (dbt's `get_where_subquery`), keeping the table's names. */
export function subqueryRelation(of: Relation, sql: string): DbtRelation {
  return new DbtRelation(of.schema, of.identifier, 'cte', sql);
}

/** `api.Relation.create(database=, schema=, identifier=, type=)`. */
export function createRelation(...args: unknown[]): DbtRelation {
  const { positional, keywords } = splitArgs(args);
  const schema = (keywords.schema ?? positional[1] ?? keywords.database ?? positional[0] ?? '') as string;
  const identifier = (keywords.identifier ?? positional[2] ?? '') as string;
  return new DbtRelation(String(schema), String(identifier), (keywords.type as RelationType) ?? null);
}

const STRING_TYPES = /^(var)?char|text|string|enum|set\b/i;
const NUMBER_TYPES = /^(tiny|small|medium|big)?int|integer|decimal|numeric|float|double|real|bit/i;

export class DbtColumn {
  readonly column: string;
  constructor(
    readonly name: string,
    readonly dtype: string,
    readonly char_size: number | null = null,
    readonly numeric_precision: number | null = null,
    readonly numeric_scale: number | null = null,
  ) {
    this.column = name;
  }
  get quoted(): string {
    return quoteIdent(this.name);
  }
  get data_type(): string {
    if (this.is_string() && this.char_size) return `${this.dtype}(${this.char_size})`;
    if (/^(decimal|numeric)$/i.test(this.dtype) && this.numeric_precision)
      return `${this.dtype}(${this.numeric_precision},${this.numeric_scale ?? 0})`;
    return this.dtype;
  }
  is_string(): boolean {
    return STRING_TYPES.test(this.dtype);
  }
  is_number(): boolean {
    return NUMBER_TYPES.test(this.dtype);
  }
  is_numeric(): boolean {
    return /^(decimal|numeric)/i.test(this.dtype);
  }
  is_integer(): boolean {
    return /^(tiny|small|medium|big)?int/i.test(this.dtype);
  }
  is_float(): boolean {
    return /^(float|double|real)/i.test(this.dtype);
  }
  string_size(): number {
    return this.char_size ?? 255;
  }
  toString(): string {
    return `<Column ${this.name} (${this.data_type})>`;
  }
}

/** `api.Column(name, dtype)`, `api.Column.create(name, dtype)`, and the type helpers dbt offers on it. */
export function columnApi() {
  const make = (...args: unknown[]) => {
    const { positional, keywords } = splitArgs(args);
    return new DbtColumn(
      String(keywords.column ?? keywords.name ?? positional[0]),
      String(keywords.dtype ?? keywords.data_type ?? positional[1] ?? 'text'),
    );
  };
  return Object.assign(make, {
    create: make,
    string_type: (size: unknown) => `varchar(${Number(size) || 255})`,
    numeric_type: (dtype: unknown, precision: unknown, scale: unknown) =>
      precision === null || precision === undefined ? String(dtype) : `${String(dtype)}(${precision},${scale ?? 0})`,
    translate_type: (dtype: unknown) => String(dtype),
  });
}

export interface AgateColumn {
  readonly name: string;
  values(): unknown[];
}

/** An agate-like table: a list of rows with the table's attributes. */
export type AgateTable = unknown[][] & {
  readonly rows: unknown[][];
  readonly columns: AgateColumn[];
  readonly column_names: string[];
};

/** Builds the table from rows read as objects (their key order is the column order). */
export function agateTable(rows: readonly Record<string, unknown>[], columnNames?: readonly string[]): AgateTable {
  const names = columnNames ? [...columnNames] : rows.length > 0 ? Object.keys(rows[0]!) : [];
  const list = rows.map((r) => {
    const row = names.map((n) => r[n]);
    for (const n of names)
      if (!/^\d+$/.test(n) && !(n in Array.prototype)) Object.defineProperty(row, n, { value: r[n], enumerable: false });
    Object.defineProperties(row, {
      keys: { value: () => [...names], enumerable: false },
      values: { value: () => names.map((n) => r[n]), enumerable: false },
      items: { value: () => names.map((n) => [n, r[n]]), enumerable: false },
      get: { value: (k: string, d: unknown = null) => (k in r ? r[k] : d), enumerable: false },
    });
    return row;
  });
  const columns: AgateColumn[] = names.map((name, i) => ({ name, values: () => list.map((row) => row[i]) }));
  for (const c of columns)
    if (!/^\d+$/.test(c.name) && !(c.name in Array.prototype)) Object.defineProperty(columns, c.name, { value: c, enumerable: false });
  Object.defineProperties(columns, {
    keys: { value: () => [...names], enumerable: false },
    items: { value: () => columns.map((c) => [c.name, c]), enumerable: false },
    get: { value: (k: string, d: unknown = null) => columns.find((c) => c.name === k) ?? d, enumerable: false },
  });
  Object.defineProperties(list, {
    rows: { value: list, enumerable: false },
    columns: { value: columns, enumerable: false },
    column_names: { value: names, enumerable: false },
    print_table: { value: () => '', enumerable: false },
  });
  return list as AgateTable;
}
