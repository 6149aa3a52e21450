/**
 * What `test`, `build` and `daily` share at the edge: reading the project and the selection
 * options once, the as-of time, writing compiled tests and target/run_results.json, and the
 * printed summary. The engine calls stay in actions/transform/ and actions/daily/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../../../actions/platform/errors.ts';
import type { Project, TestNode } from '../../../actions/transform/project/types.ts';
import { writeRunResults, type RunResults } from '../../../actions/platform/run-results.ts';
import { formatSummary, makeRunResults, type RunOutcome } from '../../../actions/transform/summary.ts';
import { PIPELINE_VERSION } from '../../../actions/transform/results.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import type { ModelCommandOptions } from './model-options.ts';
import { selectFor } from './model-options.ts';

/**
 * The as-of time of source freshness: the `as_of_date` var (the dump's date in `daily`) at
 * 00:00 UTC, else now.
 */
export function asOfTime(project: Project, now = new Date()): Date {
  const v = project.vars.as_of_date;
  if (v === undefined || v === null || v === '') return now;
  const text = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  // A real calendar day, not only its shape: the value goes into the models' SQL.
  if (!date || date.toISOString().slice(0, 10) !== `${m![1]}-${m![2]}-${m![3]}`)
    throw new UsageError(
      `the var as_of_date '${text}' is not a date. To fix this, pass a day as YYYY-MM-DD, e.g. --vars "{as_of_date: '2026-02-05'}".`,
    );
  return date;
}

/** Writes a test's compiled SQL under target/compiled/<project>/<declaring file's folder>/<name>.sql. */
export function compiledWriter(ctx: CliContext, project: Project): (test: TestNode, sql: string) => void {
  return (test, sql) => {
    const file = join(ctx.targetDir, 'compiled', project.name, dirname(test.original_file_path), `${test.name}.sql`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${sql.trim()}\n`);
  };
}

/** A run's outcome; without a run lock's id a fresh one names the run. */
export type Finished = Omit<RunOutcome, 'invocationId'> & { invocationId?: string };

/** Writes target/run_results.json and prints the summary; returns the exit code. */
export function finish(ctx: CliContext, f: Finished): number {
  const file = writeRunResults(
    ctx.targetDir,
    makeRunResults({ ...f, invocationId: f.invocationId ?? randomUUID(), version: PIPELINE_VERSION }),
  );
  ctx.print(formatSummary(f.results, f.publish));
  ctx.log.info(`results written to ${file}`);
  return f.failed ? 1 : 0;
}

export function stage(
  name: string,
  startedAt: Date,
  status: RunResults['stages'][number]['status'],
  message?: string,
): RunResults['stages'][number] {
  return {
    name,
    status,
    startedAt: startedAt.toISOString(),
    durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
    ...(message ? { message } : {}),
  };
}

/**
 * The selected unique_ids; undefined when no --select/--exclude/--state was given (every node).
 * `required`: a selection that matches nothing is a usage error (daily and build would otherwise
 * load or publish with no model at all), where dbt's run and test only warn.
 */
export function selectedIds(ctx: CliContext, project: Project, o: ModelCommandOptions, required = false): ReadonlySet<string> | undefined {
  if (o.select === undefined && o.exclude === undefined) return undefined;
  const ids = new Set(selectFor(ctx, project, o).ids);
  if (required && ids.size === 0) {
    const what = [
      o.select !== undefined ? `--select ${[o.select].flat().join(' ')}` : '',
      o.exclude !== undefined ? `--exclude ${[o.exclude].flat().join(' ')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    throw new UsageError(`${what} selects no node of the project. To fix this, check the names ('pipeline ls' lists them).`);
  }
  return ids;
}
