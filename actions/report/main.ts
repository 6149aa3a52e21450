/**
 * The report action (run it with `if: always()`): merges the results of the job's stage steps,
 * renders the report into target/report.md and the job summary, sets outputs. It fails only when
 * there is nothing to report; a failed run is reported, and the stage step already failed the job.
 */
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { booleanInput, stringInput } from '../shared/action-inputs.ts';
import { ACTION_ENV, writeSummary } from '../shared/action-run.ts';
import { errorMessage } from '../shared/errors.ts';
import { redact, registerSecretsFromEnv } from '../shared/secrets.ts';
import { linksFromEnv } from './links.ts';
import { writeReport } from './report-stage.ts';
import { testCounts } from './sections.ts';

registerSecretsFromEnv(process.env);
try {
  const workspace = resolve(process.env[ACTION_ENV.workspace] ?? process.cwd());
  const projectDir = resolve(workspace, stringInput('project-dir') ?? '.');
  const compare = stringInput('compare-state');
  const options = Object.freeze({
    targetDir: resolve(projectDir, stringInput('target-dir') ?? 'target'),
    mergeSteps: booleanInput('merge-steps', true),
    compareState: compare === undefined ? undefined : resolve(workspace, compare),
    links: linksFromEnv(process.env),
  });
  core.startGroup('pipeline report');
  const report = writeReport(options);
  core.info(`report written to ${report.file} (${Buffer.byteLength(report.markdown)} bytes)`);
  core.endGroup();
  await writeSummary(report.markdown);
  const t = testCounts(report.results.results);
  core.setOutput('status', report.results.status === 'success' ? 'success' : 'failed');
  core.setOutput('report-path', report.file);
  core.setOutput('run-results-path', resolve(options.targetDir, 'run_results.json'));
  core.setOutput('tests-failed', String(t.error));
  core.setOutput('tests-warned', String(t.warn));
  core.setOutput('published', String(report.results.publish?.published ?? false));
} catch (err) {
  core.setFailed(redact(errorMessage(err)));
}
