/**
 * The report action (run it with `if: always()`): merges the results of the job's stage steps,
 * counts the published tables when it can reach the database, renders the report into
 * target/report.md and the job summary, and sets outputs. It fails only when there is nothing to
 * report; a failed run is reported, and the stage step already failed the job. With
 * failure-issue, it also keeps the daily run's failure issue (actions/github/failure-issue.ts).
 */
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { booleanInput, choiceInput, databaseUrl, readConnectionInputs, secretInput, stringInput } from '../github/action-inputs.ts';
import { updateFailureIssue, type FailureIssueMode, type RunOutcome } from '../github/failure-issue.ts';
import { ACTION_ENV, maskSecrets, writeSummary } from '../github/action-run.ts';
import { errorMessage } from '../platform/errors.ts';
import { createLogger } from '../platform/log.ts';
import { redact } from '../platform/secrets.ts';
import { createContext } from '../platform/run-context.ts';
import { tableCounter } from './published-counts.ts';
import { linksFromGithubContext } from '../github/github-links.ts';
import { writeReport } from './report-stage.ts';
import { failuresSection, isDryRun, statusLine, testCounts } from './sections.ts';
import type { RunResults } from '../platform/run-results.ts';

maskSecrets(process.env);
const workspace = resolve(process.env[ACTION_ENV.workspace] ?? process.cwd());
let ctx: ReturnType<typeof createContext> | undefined;
let issueMode: FailureIssueMode = 'off';
let token = '';

/** YYYY-MM-DD of the run: the dump's date when known, else the day it started (UTC). */
function runDate(r: RunResults | undefined): string {
  const d = r?.load?.dumpDate ?? (typeof r?.args.date === 'string' ? r.args.date : undefined);
  if (d && /^\d{8}$/.test(d)) return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  return (r?.stages[0]?.startedAt ?? r?.metadata.generated_at ?? new Date().toISOString()).slice(0, 10);
}

async function keepFailureIssue(outcome: RunOutcome): Promise<void> {
  if (issueMode === 'off') return;
  if (!token) {
    core.warning(
      "failure-issue is set but github-token is empty. To fix this, pass the workflow's github.token as github-token (with permissions issues: write).",
    );
    return;
  }
  try {
    core.info(await updateFailureIssue(issueMode, token, outcome));
  } catch (err) {
    // The report is written; a notification that could not be sent is a warning on the run, not a second failure.
    core.warning(
      `the failure issue could not be updated: ${redact(errorMessage(err))}. To fix this, give the job permissions issues: write.`,
    );
  }
}

try {
  issueMode = choiceInput('failure-issue', ['off', 'open', 'close'] as const, 'off');
  token = secretInput('github-token') ?? '';
  const compare = stringInput('compare-state');
  const options = Object.freeze({
    projectDir: resolve(workspace, stringInput('project-dir') ?? '.'),
    targetDir: stringInput('target-dir') ?? 'target',
    schemaPrefix: stringInput('schema-prefix'),
    mergeSteps: booleanInput('merge-steps', true),
    compareState: compare === undefined ? undefined : resolve(workspace, compare),
    databaseUrl: databaseUrl(readConnectionInputs(), process.env[ACTION_ENV.databaseUrl]),
    links: linksFromGithubContext(),
  });
  const log = createLogger(process.stderr, { verbose: booleanInput('verbose', false) });
  ctx = createContext(
    {
      env: { ...process.env, [ACTION_ENV.databaseUrl]: options.databaseUrl },
      stdout: process.stdout,
      stderr: process.stderr,
      cwd: workspace,
    },
    log,
    {
      'project-dir': options.projectDir,
      'target-dir': options.targetDir,
      'schema-prefix': options.schemaPrefix,
    },
  );
  core.startGroup('pipeline report');
  // When the database cannot be reached, the report goes without row counts (a warning says so).
  const report = await writeReport(
    { targetDir: ctx.targetDir, mergeSteps: options.mergeSteps, compareState: options.compareState, links: options.links },
    tableCounter(ctx),
  );
  for (const w of report.warnings) core.warning(w);
  core.info(`report written to ${report.file} (${Buffer.byteLength(report.markdown)} bytes)`);
  core.endGroup();
  await writeSummary(report.markdown);
  const t = testCounts(report.results.results);
  core.setOutput('status', report.results.status === 'success' ? 'success' : 'failed');
  core.setOutput('report-path', report.file);
  core.setOutput('run-results-path', resolve(ctx.targetDir, 'run_results.json'));
  core.setOutput('tests-failed', String(t.error));
  core.setOutput('tests-warned', String(t.warn));
  core.setOutput('published', String(report.results.publish?.published ?? false));
  const r = report.results;
  await keepFailureIssue({
    status: r.status === 'success' ? 'success' : 'failed',
    dryRun: isDryRun(r),
    date: runDate(r),
    statusLine: statusLine(r),
    failures: failuresSection(r, options.links, false),
  });
} catch (err) {
  core.setFailed(redact(errorMessage(err)));
  // Nothing to report is a failed run too (the stage died before writing its results).
  await keepFailureIssue({
    status: 'failed',
    dryRun: false,
    date: runDate(undefined),
    statusLine: '❌ **FAILED**',
    failures: `- ${redact(errorMessage(err))}`,
  });
} finally {
  await ctx?.dispose();
}
