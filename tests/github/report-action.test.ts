import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRunResults } from '../../actions/platform/run-results.ts';
import { fixtureManifest, fixtureRunResults } from '../fixtures/run-results.ts';
import { runAction } from './run-action.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-action-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const github = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'tokyobeta/warehouse', GITHUB_SHA: 'c0ffee' };

test('the report action writes the whole report to the job summary and report.md, and sets its outputs', async () => {
  const target = join(dir, 'one');
  writeRunResults(target, fixtureRunResults({ status: 'error' }));
  writeFileSync(join(target, 'manifest.json'), JSON.stringify(fixtureManifest()));
  const r = await runAction('report', { 'target-dir': target }, github);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.status, 'failed');
  assert.equal(r.outputs['report-path'], join(target, 'report.md'));
  assert.equal(r.outputs['tests-failed'], '2');
  assert.equal(r.outputs.published, 'false');
  assert.match(r.summary, /^# Pipeline report — daily\n\n❌ \*\*FAILED\*\*/);
  assert.match(r.summary, /https:\/\/github\.com\/tokyobeta\/warehouse\/blob\/c0ffee\/models\/gold\/_gold\.yml#L31/);
  assert.match(r.summary, /```mermaid\nflowchart LR/);
  assert.equal(readFileSync(join(target, 'report.md'), 'utf8').trim(), r.summary.trim());
  assert.match(r.stdout, /::group::pipeline report/);
});

test('on a pull request the links point at the head of the pull request, not the temporary merge commit', async () => {
  const target = join(dir, 'pull-request');
  writeRunResults(target, fixtureRunResults({ status: 'error' }));
  writeFileSync(join(target, 'manifest.json'), JSON.stringify(fixtureManifest()));
  const event = join(dir, 'pull_request.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'feedface' } } }));
  const r = await runAction(
    'report',
    { 'target-dir': target },
    { ...github, GITHUB_SHA: 'merge123', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event },
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.summary, /https:\/\/github\.com\/tokyobeta\/warehouse\/blob\/feedface\/models\/gold\/_gold\.yml#L31/);
  assert.doesNotMatch(r.summary, /blob\/merge123\//);
});

test('the report action merges the steps of the job (load, then build) into one report and one run_results.json', async () => {
  const target = join(dir, 'steps');
  const steps = join(target, 'steps');
  mkdirSync(steps, { recursive: true });
  const load = fixtureRunResults();
  load.metadata.command = 'load';
  load.results = [];
  load.stages = [load.stages[0]!];
  delete load.publish;
  const build = fixtureRunResults();
  build.metadata.command = 'build';
  delete build.load;
  build.stages = build.stages.slice(1);
  writeFileSync(join(steps, '2026-02-05T01-00-00-000Z-load.json'), JSON.stringify(load));
  writeFileSync(join(steps, '2026-02-05T01-00-15-000Z-build.json'), JSON.stringify(build));
  const r = await runAction('report', { 'target-dir': target });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.summary, /`load \+ build`/);
  assert.match(r.summary, /## Staging load/);
  assert.match(r.summary, /\| ✅ load \| 01:00:00 \|[\s\S]*\| ✅ publish \| 01:00:29 \|/);
  const merged = JSON.parse(readFileSync(join(target, 'pipeline_results.json'), 'utf8'));
  assert.equal(merged.stages.length, 4);
  assert.ok(merged.load);
});

test('with compare-state the report shows the models a pull request added or changed, with rows before and after', async () => {
  const target = join(dir, 'pr');
  const base = join(dir, 'base');
  const current = fixtureRunResults();
  writeRunResults(target, current);
  const manifest = fixtureManifest();
  for (const n of Object.values(manifest.nodes!)) n.checksum = { checksum: 'same' };
  const baseManifest = structuredClone(manifest);
  manifest.nodes!['model.tokyobeta.moveouts']!.checksum = { checksum: 'edited' };
  manifest.nodes!['model.tokyobeta.moveout_notices'] = {
    resource_type: 'model',
    name: 'moveout_notices',
    schema: 'gold',
    checksum: { checksum: 'new' },
  };
  writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest));
  const baseResults = fixtureRunResults();
  baseResults.tables!.find((t) => t.table === 'moveouts')!.rows = 15262;
  writeRunResults(base, baseResults);
  writeFileSync(join(base, 'manifest.json'), JSON.stringify(baseManifest));
  const r = await runAction('report', { 'target-dir': target, 'compare-state': base, 'merge-steps': 'false' });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.summary, /## Changes against main — 1 added, 1 changed, 0 removed/);
  assert.match(r.summary, /\| `moveouts` \| changed \| 15,262 \| 12,000 \| -3,262 \|/);
  assert.match(r.summary, /\| `moveout_notices` \| added \| – \|/);
});

test('with compare-state pointing at nothing (no main run yet) the report says everything was built', async () => {
  const target = join(dir, 'pr2');
  writeRunResults(target, fixtureRunResults());
  const r = await runAction('report', { 'target-dir': target, 'compare-state': join(dir, 'no-such-dir') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.summary, /No manifest of a successful main-branch run was found, so every model was built/);
});

test('the report action without any results fails the step and says what to do', async () => {
  const r = await runAction('report', { 'target-dir': join(dir, 'nothing') });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /::error::no run results in .*pipeline_results\.json is missing\. To fix this/);
  assert.ok(!existsSync(join(dir, 'nothing', 'report.md')));
});
