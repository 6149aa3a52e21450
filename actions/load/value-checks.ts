/**
 * The VALUES check of an INSERT that was classified while its table was spooled (not checked
 * then: an unchanged table is never loaded, so checking it would be wasted). When the table turns
 * out changed, each such INSERT is checked here before it is sent: literal values only, or the
 * statement is refused and listed in the result with its position.
 */
import type { LoadResult } from '../platform/run-results.ts';
import { checkValues } from './insert-values.ts';
import type { At } from './load-jobs.ts';
import { excerpt } from './sql-text.ts';

export type CheckedValues = { rows: number; plain: { first: number; last: number } | undefined } | undefined;

/** The INSERT's rows and plain-rows range, or undefined after adding its refusal to `refused`. */
export function checkDeferredValues(table: string, sql: Buffer, valuesAt: number, at: At, refused: LoadResult['refused']): CheckedValues {
  const check = checkValues(sql, valuesAt);
  if (!check.ok) {
    refused.push({
      statement: excerpt(sql),
      reason: `INSERT into ${table}: ${check.reason} (at byte ${check.at} of the statement)`,
      ...at,
    });
    return undefined;
  }
  return { rows: check.rows, plain: check.plain ? { first: check.first, last: check.last } : undefined };
}
