/**
 * Checks of declared sources, run before the models that read them: the table exists, it is not
 * empty when the YAML says so, and it is fresh — the newest `loaded_at_field` is no older than
 * `warn_after` / `error_after` relative to the run's as-of time (for the vendor dump: the dump's
 * date, so a rerun of an old dump judges that day's data, not today's).
 * https://docs.getdbt.com/reference/resource-properties/freshness
 */
import { quoteIdent, type Db } from '../../platform/db.ts';
import type { NodeResult } from '../../platform/run-results.ts';
import { errorMessage } from '../../platform/errors.ts';
import type { Relation } from './generic-sql.ts';
import { relationSql } from './generic-sql.ts';

export type Period = 'minute' | 'hour' | 'day';
export const PERIODS: readonly Period[] = ['minute', 'hour', 'day'];
const PERIOD_SECONDS: Record<Period, number> = { minute: 60, hour: 3600, day: 86400 };

export interface FreshnessRule {
  readonly count: number;
  readonly period: Period;
}

export interface FreshnessConfig {
  readonly loadedAtField: string;
  readonly warnAfter?: FreshnessRule;
  readonly errorAfter?: FreshnessRule;
  /** A SQL condition restricting the rows considered (dbt's `filter`). */
  readonly filter?: string;
}

export interface SourceCheck {
  /** e.g. `source.tokyobeta.staging.movings` */
  readonly sourceId: string;
  readonly relation: Relation;
  /** The declared table must hold at least one row. */
  readonly notEmpty: boolean;
  readonly freshness?: FreshnessConfig;
  readonly file?: string;
  readonly line?: number;
}

export function ruleSeconds(r: FreshnessRule): number {
  return r.count * PERIOD_SECONDS[r.period];
}

function formatRule(r: FreshnessRule): string {
  return `${r.count} ${r.period}${r.count === 1 ? '' : 's'}`;
}

function formatAge(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: the sessions run in UTC (see db.ts SESSION_SQL). */
export function sqlDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Runs one source's checks; returns one result per check (`exists` / `not_empty` / `freshness`),
 * each a dbt-style node result with unique ids under `source_check.`.
 */
export async function runSourceChecks(db: Db, check: SourceCheck, asOf: Date): Promise<NodeResult[]> {
  const results: NodeResult[] = [];
  const name = `${check.relation.schema}.${check.relation.table}`;
  const result = (kind: string, status: NodeResult['status'], message: string | null, extra: Partial<NodeResult> = {}) => {
    const now = new Date().toISOString();
    results.push({
      unique_id: `source_check.${kind}.${check.sourceId.replace(/^source\./, '')}`,
      status,
      timing: [{ name: 'execute', started_at: now, completed_at: now }],
      execution_time: 0,
      message,
      failures: status === 'pass' ? 0 : status === 'error' ? null : 1,
      adapter_response: {},
      file: check.file,
      line: check.line,
      ...extra,
    });
  };
  const [exists] = await db.query<{ n: string | number }>(
    'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [check.relation.schema, check.relation.table],
  );
  if (Number(exists?.n ?? 0) === 0) {
    result(
      'exists',
      'fail',
      `the declared source table ${name} does not exist. To fix this, check that the dump still has it, or remove it from the sources YAML.`,
    );
    return results;
  }
  result('exists', 'pass', null);
  if (check.notEmpty) {
    try {
      const rows = await db.query(`SELECT 1 FROM ${relationSql(check.relation)} LIMIT 1`);
      if (rows.length === 0) result('not_empty', 'fail', `the source table ${name} is empty, but its YAML declares it must not be.`);
      else result('not_empty', 'pass', null);
    } catch (err) {
      result('not_empty', 'error', `checking ${name} failed on the server: ${errorMessage(err)}`);
    }
  }
  const f = check.freshness;
  if (f && (f.warnAfter || f.errorAfter)) {
    try {
      const where = f.filter ? ` WHERE ${f.filter}` : '';
      const col = quoteIdent(f.loadedAtField);
      const [row] = await db.query<{ max_loaded_at: string | null; age: string | number | null }>(
        `SELECT MAX(${col}) AS max_loaded_at, TIMESTAMPDIFF(SECOND, MAX(${col}), ?) AS age FROM ${relationSql(check.relation)}${where}`,
        [sqlDateTime(asOf)],
      );
      const asOfText = sqlDateTime(asOf);
      if (!row || row.max_loaded_at === null || row.age === null) {
        const status = f.errorAfter ? 'fail' : 'warn';
        result('freshness', status, `${name} has no ${f.loadedAtField} value, so its freshness is unknown (as of ${asOfText}).`);
      } else {
        const age = Number(row.age);
        const detail = `newest ${f.loadedAtField} is ${row.max_loaded_at}, ${formatAge(Math.max(age, 0))} before ${asOfText}`;
        const extra = { adapter_response: {}, samples: [{ max_loaded_at: row.max_loaded_at, age_seconds: age, as_of: asOfText }] };
        if (f.errorAfter && age > ruleSeconds(f.errorAfter)) {
          result('freshness', 'fail', `${name} is stale: ${detail} (error_after ${formatRule(f.errorAfter)}).`, extra);
        } else if (f.warnAfter && age > ruleSeconds(f.warnAfter)) {
          result('freshness', 'warn', `${name} is getting stale: ${detail} (warn_after ${formatRule(f.warnAfter)}).`, extra);
        } else {
          result('freshness', 'pass', detail, extra);
        }
      }
    } catch (err) {
      result('freshness', 'error', `the freshness query on ${name} failed on the server: ${errorMessage(err)}`);
    }
  }
  return results;
}
