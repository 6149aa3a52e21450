/**
 * Runs one compiled data test against the server: counts its failing rows, keeps a few of them
 * as samples, optionally stores them all in the audit schema, and turns the count into a
 * status through the test's thresholds. A query the server rejects is an `error` result with the
 * server's message — a result, not an exception.
 */
import { createHash } from 'node:crypto';
import { qualified, quoteIdent, type Db, type Row } from '../../platform/db.ts';
import type { NodeResult } from '../../platform/run-results.ts';
import { errorMessage } from '../../platform/errors.ts';
import { testStatus, type Severity, type Threshold } from './thresholds.ts';

/** A data test ready to run: its failing-rows query and how to judge the count. */
export interface CompiledTest {
  readonly uniqueId: string;
  /** Short name, also the audit table's name (e.g. `not_null_int_contracts_tenant_id`). */
  readonly name: string;
  /** SELECT returning the failing rows. */
  readonly sql: string;
  /** dbt's `fail_calc`: the failure count computed over those rows. Default `count(*)`. */
  readonly failCalc?: string;
  readonly severity: Severity;
  readonly warnIf: Threshold;
  readonly errorIf: Threshold;
  /** At most this many failing rows are counted (dbt's `limit`). */
  readonly limit?: number;
  /** Keep the failing rows in a table of the audit schema. */
  readonly storeFailures: boolean;
  /** The YAML (or SQL) file and line that declared the test. */
  readonly file?: string;
  readonly line?: number;
}

export interface RunTestOptions {
  /** Physical audit schema, for store_failures. */
  auditSchema: string;
  /** Failing rows kept in the result. Default 5. */
  samples?: number;
}

export const MAX_TABLE_NAME = 64;

/** The audit table of a test: its name, shortened with a hash when MySQL's 64 characters are not enough. */
export function auditTableName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (clean.length <= MAX_TABLE_NAME) return clean;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${clean.slice(0, MAX_TABLE_NAME - 9)}_${hash}`;
}

/**
 * The failing-rows query as a subquery body: trailing semicolons removed (singular tests often
 * end with one) and a newline before the closing parenthesis, so a final `-- comment` cannot
 * swallow it.
 */
export function failingRowsBody(sql: string, limit?: number): string {
  const body = sql.trim().replace(/;+\s*$/, '');
  return limit === undefined ? body : `${body}\nLIMIT ${Math.max(0, Math.floor(limit))}`;
}

export async function runTest(db: Db, test: CompiledTest, options: RunTestOptions): Promise<NodeResult> {
  const started = new Date();
  const finish = (partial: Pick<NodeResult, 'status' | 'message' | 'failures'> & Partial<NodeResult>): NodeResult => {
    const completed = new Date();
    return {
      unique_id: test.uniqueId,
      timing: [{ name: 'execute', started_at: started.toISOString(), completed_at: completed.toISOString() }],
      execution_time: (completed.getTime() - started.getTime()) / 1000,
      adapter_response: {},
      file: test.file,
      line: test.line,
      compiled_code: test.sql,
      ...partial,
    };
  };
  try {
    let source = `(\n${failingRowsBody(test.sql, test.limit)}\n) AS dbt_internal_test`;
    let relation: string | undefined;
    if (test.storeFailures) {
      relation = qualified(options.auditSchema, auditTableName(test.name));
      await storeFailures(db, options.auditSchema, auditTableName(test.name), failingRowsBody(test.sql, test.limit));
      source = relation;
    }
    const [row] = await db.query<{ failures: string | number }>(`SELECT ${test.failCalc ?? 'COUNT(*)'} AS failures FROM ${source}`);
    const failures = Number(row?.failures ?? 0);
    const status = testStatus(failures, test);
    let samples: Row[] | undefined;
    if (failures > 0) {
      samples = await db.query<Row>(`SELECT * FROM ${source} LIMIT ${options.samples ?? 5}`);
    }
    return finish({
      status,
      failures,
      message: describe(status, failures, test, relation),
      samples,
      relation: relation && `${options.auditSchema}.${auditTableName(test.name)}`,
    });
  } catch (err) {
    return finish({
      status: 'error',
      failures: null,
      message: `the test query failed on the server: ${errorMessage(err)}. To fix this, correct the test (its compiled SQL is in target/compiled/).`,
    });
  }
}

/** dbt's wording ("Got 3 results, configured to fail if != 0"), plus where failures were stored. */
function describe(status: string, failures: number, test: CompiledTest, relation?: string): string | null {
  if (status === 'pass' && failures === 0) return null;
  const got = `Got ${failures} result${failures === 1 ? '' : 's'}`;
  const rule =
    status === 'fail'
      ? `configured to fail if ${test.errorIf.text}`
      : status === 'warn'
        ? `configured to warn if ${test.warnIf.text}`
        : 'within the thresholds';
  return `${got}, ${rule}${relation ? `; failing rows stored in ${relation}` : ''}`;
}

/** Replaces the test's audit table with the current failing rows. */
async function storeFailures(db: Db, schema: string, table: string, body: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  // The audit schema is for people investigating failures, not for BI readers: a drop then a
  // create is enough here (no swap needed).
  await db.exec(`DROP TABLE IF EXISTS ${qualified(schema, table)}`);
  await db.exec(`CREATE TABLE ${qualified(schema, table)} AS\n${body}`);
}
