/**
 * The report action (run it with `if: always()`): merges the results of the job's stage steps,
 * counts the published tables when it can reach the database, renders the report into
 * target/report.md and the job summary, and sets outputs. It fails only when there is nothing to
 * report; a failed run is reported, and the stage step already failed the job.
 */
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { booleanInput, databaseUrl, readConnectionInputs, stringInput } from '../github/action-inputs.ts';
import { ACTION_ENV, maskSecrets, writeSummary } from '../github/action-run.ts';
import { errorMessage } from '../platform/errors.ts';
import { createLogger } from '../platform/log.ts';
import { redact } from '../platform/secrets.ts';
import { createContext } from '../platform/run-context.ts';
import { tableCounter } from './published-counts.ts';
import { linksFromGithubContext } from '../github/github-links.ts';
import { writeReport } from './report-stage.ts';
import { testCounts } from './sections.ts';

maskSecrets(process.env);
const workspace = resolve(process.env[ACTION_ENV.workspace] ?? process.cwd());
let ctx: ReturnType<typeof createContext> | undefined;
try {
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
  const log = createLogger(process.stderr);
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
} catch (err) {
  core.setFailed(redact(errorMessage(err)));
} finally {
  await ctx?.dispose();
}
