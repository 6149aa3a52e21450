/**
 * The report as people see it: Markdown rendered to HTML with markdown-it, opened in headless
 * Chromium with Mermaid loaded from node_modules, and the rendered DOM checked for the report's
 * tables and its lineage diagram drawn as SVG.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../actions/report/render-report.ts';
import { fixtureManifest, fixtureRunResults } from '../fixtures/run-results.ts';
import { findChromium, renderInChromium } from '../helpers/browser.ts';

const chromium = findChromium();

test('the report rendered in headless Chromium shows its tables and its Mermaid lineage diagram', { skip: chromium ? false : 'no Chromium installed (apt-get install chromium); the rendered report is not checked', timeout: 120_000 }, async () => {
  const markdown = renderReport(fixtureRunResults({ status: 'error' }), {
    manifest: fixtureManifest(),
    links: { serverUrl: 'https://github.com', repository: 'tokyobeta/warehouse', sha: 'abc' },
  });
  const dom = await renderInChromium(markdown, chromium!);
  assert.match(dom, /data-mermaid="rendered"/, 'Mermaid ran without error');
  const svg = /<pre class="mermaid"[^>]*>[\s\S]*?<svg[\s\S]*?<\/svg>/.exec(dom)?.[0];
  assert.ok(svg, 'the lineage block became an SVG');
  for (const label of ['staging.tenants', 'silver.int_contracts', 'gold.new_contracts', 'gold.moveouts']) assert.ok(svg!.includes(label), `the diagram shows ${label}`);
  assert.ok((svg!.match(/class="[^"]*flowchart-link/g) ?? []).length >= 6, 'and its edges');
  const headers = [...dom.matchAll(/<thead>\s*<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => c[1]!.trim()).join('|'));
  assert.ok(headers.includes('stage|start|duration|note'), 'the timeline table');
  assert.ok(headers.some((h) => h.startsWith('source|schema|tables|rows|MB|seconds|MB/s')), 'the staging load table');
  assert.ok(headers.includes('table|kind|rows|previous run|change'), 'the layer tables');
  assert.ok(headers.includes('pass|warn|error|skip|total'), 'the test counts');
  assert.match(dom, /<h1>Pipeline report — daily<\/h1>/);
  assert.match(dom, /<strong>FAILED<\/strong>/);
  assert.match(dom, /<a href="https:\/\/github\.com\/tokyobeta\/warehouse\/blob\/abc\/models\/gold\/_gold\.yml#L31">models\/gold\/_gold\.yml:31<\/a>/);
  assert.match(dom, /<td>tenant_id|<th>tenant_id<\/th>/, 'the failing samples table');
});
