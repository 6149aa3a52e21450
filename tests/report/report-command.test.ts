import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRunResults } from '../../actions/platform/run-results.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { fixtureManifest, fixtureRunResults } from '../fixtures/run-results.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-cmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('pipeline report prints the Markdown and writes the same to target/report.md', async () => {
  const target = join(dir, 'a');
  writeRunResults(target, fixtureRunResults({ status: 'error' }));
  writeFileSync(join(target, 'manifest.json'), JSON.stringify(fixtureManifest()));
  const r = await runPipelineInProcess(['report', '--target-dir', target], {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: 'f00d',
  });
  assert.equal(r.code, 0, r.stderr);
  const file = readFileSync(join(target, 'report.md'), 'utf8');
  assert.equal(r.stdout, file);
  assert.match(file, /❌ \*\*FAILED\*\*/);
  assert.match(file, /https:\/\/github\.com\/o\/r\/blob\/f00d\/models\/gold\/_gold\.yml#L31/);
  assert.match(file, /```mermaid\nflowchart LR/);
});

test('pipeline report --format json prints the run results', async () => {
  const target = join(dir, 'b');
  writeRunResults(target, fixtureRunResults());
  const r = await runPipelineInProcess(['report', '--format', 'json', '--target-dir', target]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).metadata.command, 'daily');
});

test('pipeline report without a run says what to do, exit 1', async () => {
  const r = await runPipelineInProcess(['report', '--target-dir', join(dir, 'empty')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /pipeline_results\.json is missing\. To fix this, run a stage first/);
});

test('pipeline report --format html is a usage error', async () => {
  const r = await runPipelineInProcess(['report', '--format', 'html', '--target-dir', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format 'html' is not one of: md, json/);
});
