/**
 * What `test`, `build` and `daily` share at the edge: reading the project and the selection
 * options once, the as-of time, writing compiled tests and target/run_results.json, and the
 * printed summary. The engine calls stay in actions/build/.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { UsageError } from '../../../actions/shared/errors.ts';
import { readProject } from '../../../actions/shared/project/read-project.ts';
import type { Project, TestNode } from '../../../actions/shared/project/types.ts';
import { writeRunResults, type NodeResult, type PublishResult, type RunResults } from '../../../actions/shared/run-results.ts';
import { formatSummary, makeRunResults } from '../../../actions/build/summary.ts';
import type { CliContext } from '../context.ts';
import type { ParsedOptions } from '../command.ts';
import { parseInteger } from '../values.ts';

export const PIPELINE_VERSION = '0.1.0';

export interface ModelCommandOptions {
  readonly select?: string;
  readonly exclude?: string;
  readonly state?: string;
  readonly fullRefresh: boolean;
  readonly threads: number;
  readonly vars: Readonly<Record<string, unknown>>;
}

export function readModelCommandOptions(o: ParsedOptions): ModelCommandOptions {
  let vars: Record<string, unknown> = {};
  if (typeof o.vars === 'string') {
    let parsed: unknown;
    try {
      parsed = parseYamlText(o.vars);
    } catch (err) {
      throw new UsageError(`--vars is not valid YAML: ${(err as Error).message.split('\n')[0]}. Write it like "{as_of_date: '2026-02-05'}".`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(`--vars must be a YAML mapping, like "{as_of_date: '2026-02-05'}"`);
    }
    vars = parsed as Record<string, unknown>;
  }
  return Object.freeze({
    select: o.select as string | undefined,
    exclude: o.exclude as string | undefined,
    state: o.state as string | undefined,
    fullRefresh: o['full-refresh'] === true,
    threads: o.threads === undefined ? 4 : parseInteger('threads', o.threads as string, 1, 64),
    vars: Object.freeze(vars),
  });
}

export function loadProject(ctx: CliContext, options: ModelCommandOptions, extraVars: Record<string, unknown> = {}): Project {
  return readProject(ctx.projectDir, ctx.config(), { vars: { ...options.vars, ...extraVars }, envVars: ctx.io.env });
}

/**
 * The as-of time of source freshness: the `as_of_date` var (the dump's date in `daily`) at
 * 00:00 UTC, else now.
 */
export function asOfTime(project: Project, now = new Date()): Date {
  const v = project.vars.as_of_date;
  if (v === undefined || v === null || v === '') return now;
  const text = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  if (!m) throw new UsageError(`the var as_of_date '${text}' is not a date: expected YYYY-MM-DD`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** Writes a test's compiled SQL under target/compiled/<project>/<declaring file's folder>/<name>.sql. */
export function compiledWriter(ctx: CliContext, project: Project): (test: TestNode, sql: string) => void {
  return (test, sql) => {
    const file = join(ctx.targetDir, 'compiled', project.name, dirname(test.original_file_path), `${test.name}.sql`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${sql.trim()}\n`);
  };
}

export interface Finished {
  command: string;
  startedAt: Date;
  args: Record<string, unknown>;
  results: NodeResult[];
  stages: RunResults['stages'];
  publish?: PublishResult;
  load?: RunResults['load'];
  failed: boolean;
}

/** Writes target/run_results.json and prints the summary; returns the exit code. */
export function finish(ctx: CliContext, f: Finished): number {
  const file = writeRunResults(
    ctx.targetDir,
    makeRunResults({ ...f, invocationId: randomUUID(), version: PIPELINE_VERSION }),
  );
  ctx.print(formatSummary(f.results, f.publish));
  ctx.log.info(`results written to ${file}`);
  return f.failed ? 1 : 0;
}

export function stage(name: string, startedAt: Date, status: RunResults['stages'][number]['status'], message?: string): RunResults['stages'][number] {
  return { name, status, startedAt: startedAt.toISOString(), durationSeconds: (Date.now() - startedAt.getTime()) / 1000, ...(message ? { message } : {}) };
}
