/**
 * The report of a daily run on a generated dump, as people see it: the report action renders it
 * (job summary and report.md), markdown-it turns it into HTML, headless Chromium opens it with
 * Mermaid loaded from node_modules, and the rendered DOM is checked for the report's tables and
 * its lineage diagram drawn as SVG.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../actions/platform/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { findChromium, renderInChromium } from '../helpers/browser.ts';
import { runAction } from './run-action.ts';

const chromium = findChromium();
const prefix = testPrefix('browser');
const dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
const target = join(dir, 'target');
let db: Db;

before(async () => {
  db = await openTestDb(1);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the report of a daily run on a generated dump, rendered in headless Chromium, shows its tables and its Mermaid lineage', {
  skip: chromium ? false : 'no Chromium installed (apt-get install chromium): the rendered report is not checked',
  timeout: 300_000,
}, async () => {
  const dump = join(dir, 'gghouse_20260205.sql.gz');
  const gen = await runPipelineInProcess(['generate-dump', '--out', dump, '--scale', '0.005', '--date', '20260205', '--seed', '7']);
  assert.equal(gen.code, 0, gen.stderr);
  const daily = await runPipelineInProcess(['daily', '--dump', dump, '--target-dir', target], { PIPELINE_SCHEMA_PREFIX: prefix });
  assert.equal(daily.code, 0, daily.stdout + daily.stderr);
  const r = await runAction(
    'report',
    { 'target-dir': target, 'schema-prefix': prefix },
    { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'tokyobeta/warehouse', GITHUB_SHA: 'abc' },
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(readFileSync(join(target, 'report.md'), 'utf8').trim(), r.summary.trim());

  const dom = await renderInChromium(r.summary, chromium!);
  assert.match(dom, /data-mermaid="rendered"/, 'Mermaid ran without error');
  const svg = /<pre class="mermaid"[^>]*>[\s\S]*?<svg[\s\S]*?<\/svg>/.exec(dom)?.[0];
  assert.ok(svg, 'the lineage block became an SVG');
  for (const label of [
    'staging.movings',
    'seeds.code_gender',
    'silver.int_contracts',
    'gold.new_contracts',
    'gold.daily_activity_summary',
  ]) {
    assert.ok(svg!.includes(label), `the diagram shows ${label}`);
  }
  assert.ok((svg!.match(/flowchart-link/g) ?? []).length >= 10, 'and its edges');
  const headers = [...dom.matchAll(/<thead>\s*<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => c[1]!.trim()).join('|'),
  );
  assert.ok(headers.includes('stage|start|duration|note'), 'the timeline table');
  assert.ok(
    headers.some((h) => h.startsWith('source|schema|tables|rows|MB|seconds|MB/s')),
    'the staging load table',
  );
  assert.equal(
    headers.filter((h) => h === 'table|kind|rows|previous run|change').length,
    5,
    'a table per layer: staging, seeds, silver, gold, snapshots',
  );
  assert.ok(headers.includes('pass|warn|error|skip|total'), 'the test counts');
  assert.match(dom, /<h1>Pipeline report — daily<\/h1>/);
  assert.match(dom, /<strong>SUCCESS<\/strong>/);
  assert.match(
    dom,
    new RegExp(`<code>${prefix}gold\\.new_contracts</code></td>\\s*<td>table</td>\\s*<td[^>]*>[\\d,]+</td>`),
    'gold row counts',
  );
  assert.match(dom, /<h2>Published<\/h2>\s*<p>97 tables published in one atomic swap/);
});
