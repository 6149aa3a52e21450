/**
 * Checks on whole runs rather than on one fault: no secret in any output, two runs started together
 * never interleave, and BI readers querying through a whole run always get a whole warehouse.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { qualified } from '../../actions/platform/db.ts';
import type { Fixture } from './fixture.ts';
import { firstErrorLine, newOutcome, type Outcome } from './outcome.ts';
import { runToEnd, startPipeline, type PipelineExit } from './pipeline-process.ts';
import { answersDuring, fingerprint, fingerprintSql, startReaders, type WatchedTable } from './readers.ts';
import { findSecrets, readTree } from './secrets-scan.ts';
import { compareSnapshots, compareWithReference, describeDifferences, takeSnapshot } from './snapshot.ts';
import { stageSpans } from './kill-points.ts';

/**
 * Secrets: every run of the session had the run user's password in DATABASE_URL and fake AWS
 * secrets in its environment; this adds runs that fail in the ways most likely to echo them (a
 * schema the user may not touch, a wrong password, an S3 source that does not answer), then
 * searches every output of the whole session, every file under target/ and the run log's messages.
 */
export async function secretsCheck(f: Fixture): Promise<Outcome> {
  const o = newOutcome('secrets', 'password in DATABASE_URL and AWS secrets in the environment');
  const started = Date.now();
  const env = f.env();
  const day = f.days[f.current];
  const runs: Array<[string, string[], Record<string, string>]> = [
    ['a run on a schema the user may not touch', f.args(day.dump).map((a) => (a === f.prefix ? 'tnotmine_' : a)), env],
    [
      'a run with a wrong password',
      f.args(day.dump),
      { ...env, DATABASE_URL: f.user.url.replace(encodeURIComponent(f.user.password), encodeURIComponent(`${f.user.password}x`)) },
    ],
    [
      'a run whose S3 source does not answer',
      f.args('s3://t-rel-bucket/gghouse/'),
      { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
    ],
  ];
  const outputs: Record<string, string> = {};
  const results = await Promise.all(runs.map(([, args, runEnv]) => runToEnd(args, { env: runEnv })));
  for (const [i, [label]] of runs.entries()) {
    const r = results[i]!;
    f.outputs.push(r);
    o.checks.push(`${label}: exit ${r.code} (${(firstErrorLine(r.stderr) ?? '').slice(0, 100)})`);
    if (r.code === 0) o.problems.push(`${label} succeeded, expected a failure`);
    if (/internal error/.test(r.stderr)) o.checks.push(`finding: ${label} ends in an internal error rather than an explained one`);
  }
  // Every run of the whole session, every artifact, and the run log the failures wrote.
  f.outputs.forEach((r, i) => {
    outputs[`run ${i + 1}: stdout`] = r.stdout;
    outputs[`run ${i + 1}: stderr`] = r.stderr;
  });
  const messages = await f.admin
    .query<{ message: string | null }>(`SELECT message FROM ${qualified(`${f.prefix}pipeline_meta`, 'runs')}`)
    .catch(() => []);
  outputs['pipeline_meta.runs.message'] = messages.map((m) => m.message ?? '').join('\n');
  const texts = { ...outputs, ...readTree(f.targetDir) };
  const hits = findSecrets(
    {
      'database password': f.user.password,
      AWS_SECRET_ACCESS_KEY: f.aws.AWS_SECRET_ACCESS_KEY!,
      AWS_SESSION_TOKEN: f.aws.AWS_SESSION_TOKEN!,
    },
    texts,
  );
  for (const h of hits) o.problems.push(`the ${h.secret} appears in ${h.where}`);
  o.figures = {
    textsSearched: Object.keys(texts).length,
    bytesSearched: Object.values(texts).reduce((n, t) => n + t.length, 0),
    runsSearched: f.outputs.length,
  };
  if (!hits.length)
    o.checks.push(
      `no secret in ${Object.keys(texts).length} outputs and files (${o.figures.bytesSearched} bytes, ${f.outputs.length} runs)`,
    );
  o.ms = Date.now() - started;
  return o;
}

/** Two runs started at the same instant: one waits (with --wait-lock) or is refused, never both at once. */
export async function concurrencyCheck(f: Fixture, waitLock: boolean): Promise<Outcome> {
  const o = newOutcome('concurrency', waitLock ? 'two daily runs at once, both with --wait-lock' : 'two daily runs at once');
  const started = Date.now();
  const to = (1 - f.current) as 0 | 1;
  const since = new Date(Date.now() - 1000).toISOString().replace('T', ' ').replace('Z', '');
  const extra = waitLock ? ['--wait-lock'] : [];
  const a = startPipeline(f.args(f.days[to].dump, extra), { env: f.env() });
  const b = startPipeline(f.args(f.days[to].dump, extra), { env: f.env() });
  const [ra, rb] = await Promise.all([a.done, b.done]);
  f.outputs.push(ra, rb);
  const codes = [ra.code, rb.code].sort();
  o.exitCode = rb.code;
  o.errorLine = firstErrorLine([ra, rb].find((r) => r.code !== 0)?.stderr ?? '');
  if (waitLock) {
    if (ra.code !== 0 || rb.code !== 0) o.problems.push(`exits ${ra.code} and ${rb.code}, expected both 0 (the second waits)`);
    else o.checks.push('both runs succeeded, one after the other');
  } else if (codes[0] !== 0 || codes[1] !== 1) {
    o.problems.push(`exits ${ra.code} and ${rb.code}, expected one 0 and one 1`);
  } else {
    const refused = [ra, rb].find((r) => r.code === 1)!;
    if (!/another pipeline run holds the lock/.test(refused.stderr))
      o.problems.push(`the refused run does not say another run holds the lock: ${firstErrorLine(refused.stderr)}`);
    else o.checks.push('one ran, the other was refused at once, naming the holder');
  }
  const runs = await f.admin.query<{ run_id: string; status: string; started_at: string; finished_at: string | null }>(
    `SELECT run_id, status, started_at, finished_at FROM ${qualified(`${f.prefix}pipeline_meta`, 'runs')} WHERE started_at >= ? ORDER BY started_at`,
    [since],
  );
  const holders = runs.filter((r) => r.finished_at);
  for (let i = 1; i < holders.length; i++) {
    if (holders[i]!.started_at < holders[i - 1]!.finished_at!)
      o.problems.push(`runs ${holders[i - 1]!.run_id} and ${holders[i]!.run_id} overlapped in the run log`);
  }
  o.checks.push(`run log: ${runs.map((r) => `${r.status} ${r.started_at.slice(11)}–${(r.finished_at ?? '').slice(11)}`).join(', ')}`);
  const diffs = compareWithReference(f.days[to].reference, await takeSnapshot(f.admin, f.prefix));
  if (diffs.length) o.problems.push(`the warehouse is not exactly day ${f.days[to].date}: ${describeDifferences(diffs)}`);
  else {
    f.current = to;
    o.checks.push(`the warehouse equals a clean run of day ${f.days[to].date}`);
  }
  o.ms = Date.now() - started;
  return o;
}

/** The tables BI reads: gold (and silver) when the warehouse has them, else staging (load only). */
export function watchedTables(f: Fixture): WatchedTable[] {
  const ref = f.days[f.current].reference;
  const pick = (logical: string) =>
    Object.entries(ref.schemas[f.prefix + logical]?.tables ?? {})
      .filter(([, t]) => t.kind === 'table' || logical !== 'staging')
      .map(([table]) => ({ schema: f.prefix + logical, table }));
  const bi = [...pick('gold'), ...pick('silver')];
  return bi.length ? bi : pick('staging').slice(0, 12);
}

/** BI readers through a whole run: every answer is the old or the new warehouse, whole. */
export async function readersCheck(f: Fixture, readers = 4): Promise<Outcome> {
  const o = newOutcome('readers', `${readers} BI readers through a whole ${f.command} run`);
  const started = Date.now();
  const to = (1 - f.current) as 0 | 1;
  const tables = watchedTables(f);
  const sql = await fingerprintSql(f.admin, tables);
  const old = await fingerprint(f.admin, sql);
  const r = await startReaders(f.admin, sql, readers);
  const readersStarted = Date.now();
  await new Promise((res) => setTimeout(res, 200));
  const run = startPipeline(f.args(f.days[to].dump), { env: f.env() });
  const exit: PipelineExit = await run.done;
  f.outputs.push(exit);
  await new Promise((res) => setTimeout(res, 200));
  const now = await fingerprint(f.admin, sql);
  r.expect(old);
  r.expect(now);
  const stats = await r.stop();
  o.exitCode = exit.code;
  if (exit.code !== 0) o.problems.push(`the run failed: ${firstErrorLine(exit.stderr)}`);
  else f.current = to;
  if (old === now) o.problems.push('the new day has the same data as the old one: the check cannot tell them apart');
  if (stats.errors) o.problems.push(`${stats.errors} reader queries failed, e.g. ${stats.firstError}`);
  if (stats.mismatches) o.problems.push(`${stats.mismatches} answers were neither the old nor the new warehouse (mixed or partial)`);
  if (stats.empties) o.problems.push(`${stats.empties} answers had an empty table`);
  const offset = run.startedAt - readersStarted;
  // The publishing RENAME ran between the line before "published N table(s)" and that line.
  const at = exit.lines.findIndex((l) => /^published \d+ table/.test(l.text));
  const window =
    at > 0 ? { start: exit.lines[at - 1]!.at, end: exit.lines[at]!.at } : stageSpans(exit.lines).find((s) => /publish/i.test(s.name));
  const during = window ? answersDuring(stats, window.start + offset, window.end + offset) : { total: 0, byVersion: {} };
  o.figures = {
    tables: tables.length,
    queries: stats.queries,
    errors: stats.errors,
    mismatches: stats.mismatches,
    duringPublish: during.total,
    oldAnswers: stats.answers.filter((a) => a.version === 0).length,
    newAnswers: stats.answers.filter((a) => a.version === 1).length,
    maxLatencyMs: stats.maxLatencyMs,
  };
  o.checks.push(
    `${stats.queries} reader queries over ${tables.length} tables (${o.figures.oldAnswers} old, ${o.figures.newAnswers} new, ${during.total} during publish), slowest ${stats.maxLatencyMs}ms`,
  );
  o.ms = Date.now() - started;
  return o;
}

export function writeText(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}
