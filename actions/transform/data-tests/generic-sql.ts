/**
 * SQL of the built-in generic tests. Each returns a query over the failing rows, the way dbt's
 * own test macros do, so a failing-row count is `SELECT COUNT(*) FROM (<query>)`. Relations are
 * physical names quoted through `qualified`; a test's `where` config wraps the relation in a
 * filtered subquery (dbt does the same: the test then sees only those rows).
 */
import { quoteIdent, quoteString } from '../../platform/db.ts';

/** Where a test reads from: a physical table or view. */
export interface Relation {
  readonly schema: string;
  readonly table: string;
}

export function relationSql(r: Relation): string {
  return `${quoteIdent(r.schema)}.${quoteIdent(r.table)}`;
}

/**
 * The FROM item a test reads: the relation itself, or (with `where`) a parenthesized subquery.
 * The caller adds the alias.
 */
export function fromItem(r: Relation, where?: string): string {
  if (!where) return relationSql(r);
  return `(SELECT * FROM ${relationSql(r)} WHERE ${where})`;
}

/** Values of duplicated, non-null keys, one row per value with its count. */
export function uniqueSql(from: string, column: string): string {
  const c = quoteIdent(column);
  return [
    `SELECT ${c} AS unique_field, COUNT(*) AS n_records`,
    `FROM ${from} AS dbt_subquery`,
    `WHERE ${c} IS NOT NULL`,
    `GROUP BY ${c}`,
    `HAVING COUNT(*) > 1`,
  ].join('\n');
}

/** Rows whose column is NULL. */
export function notNullSql(from: string, column: string): string {
  return `SELECT *\nFROM ${from} AS dbt_subquery\nWHERE ${quoteIdent(column)} IS NULL`;
}

/** A literal of an accepted value: a quoted string, or (quote: false) the value as written. */
export function valueLiteral(value: unknown, quote: boolean): string {
  if (!quote) return String(value);
  if (typeof value === 'boolean') return value ? "'1'" : "'0'";
  return quoteString(String(value));
}

/** Values outside the accepted list, one row per value with its count (NULL is not checked, as in dbt). */
export function acceptedValuesSql(from: string, column: string, values: readonly unknown[], quote = true): string {
  const c = quoteIdent(column);
  const list = values.map((v) => valueLiteral(v, quote)).join(', ');
  return [
    `SELECT ${c} AS value_field, COUNT(*) AS n_records`,
    `FROM ${from} AS dbt_subquery`,
    `WHERE ${c} IS NOT NULL AND ${c} NOT IN (${list})`,
    `GROUP BY ${c}`,
  ].join('\n');
}

/** Child rows whose non-null key has no parent row. */
export function relationshipsSql(from: string, column: string, to: string, field: string): string {
  const c = quoteIdent(column);
  const f = quoteIdent(field);
  return [
    `SELECT child.${c} AS from_field`,
    `FROM ${from} AS child`,
    `LEFT JOIN ${to} AS parent ON child.${c} = parent.${f}`,
    `WHERE child.${c} IS NOT NULL AND parent.${f} IS NULL`,
  ].join('\n');
}

export const BUILTIN_TESTS = ['unique', 'not_null', 'accepted_values', 'relationships'] as const;
export type BuiltinTest = (typeof BUILTIN_TESTS)[number];
