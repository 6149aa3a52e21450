/**
 * The site in a real browser on a made-up project: a description written to attack the
 * published site (script tags, javascript: links, an image beacon, a `</script>` meant to end the
 * data element) does nothing; the lineage graph highlights and opens; a snapshot's versions per
 * day are drawn from synthetic history.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { buildDocsData } from '../../actions/docs/docs-data.ts';
import { renderSiteHtml } from '../../actions/docs/site-html.ts';
import { chromiumMissing, launchChromium, screenshot, watchPage, type Browser, type PageWatch } from './chromium.ts';
import { syntheticProject } from './synthetic-project.ts';

const skip = chromiumMissing();
const dir = mkdtempSync(join(tmpdir(), 'docs-synthetic-'));
const EVIL = [
  'Harmless start. <script>window.pwned = 1</script>',
  '',
  '[plain js](javascript:window.pwned=2) [mixed case](JaVaScRiPt:window.pwned=3) [tab](java\tscript:window.pwned=4)',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox) <a href="javascript:window.pwned=5">raw</a>',
  '<img src="x" onerror="window.pwned=6"> ![beacon](https://tracker.example.com/pixel.gif)',
  '</script><script>window.pwned = 7</script>',
  '[fine link](https://example.com/docs)',
].join('\n');
const TARGET = 'model.synthetic.staging_model_0';
let browser: Browser;
let page: Page;
let watch: PageWatch;
let url: string;

before(async () => {
  if (skip) return;
  const p = syntheticProject(40, { runs: 12 });
  const target = p.manifest.nodes[TARGET]!;
  target.description = EVIL;
  target.columns!.col_0!.description = EVIL;
  const file = join(dir, 'index.html');
  writeFileSync(file, renderSiteHtml(buildDocsData({ ...p })));
  url = pathToFileURL(file).href;
  browser = await launchChromium();
  page = await browser.context.newPage();
  watch = watchPage(page, (u) => u.startsWith('file://'));
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a description holding <script>, javascript: links and image beacons does nothing', { skip }, async () => {
  await page.goto(`${url}#/node/${encodeURIComponent(TARGET)}`);
  await page.waitForSelector(`[data-node="${TARGET}"]`);
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  const description = page.locator('#description .markdown');
  assert.match(await description.innerText(), /<script>window\.pwned = 1<\/script>/, 'the tag is shown as text');
  const hrefs = await page.locator('#description a, #columns a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  // The image becomes a plain link (never loaded); every other target is dropped.
  assert.deepEqual(
    [...new Set(hrefs)].sort(),
    ['https://example.com/docs', 'https://tracker.example.com/pixel.gif'],
    'only https links are links',
  );
  assert.equal(await page.locator('#description img, #columns img, #description script').count(), 0);
  await description.getByText('plain js').click();
  await description.getByText('mixed case').click();
  assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  assert.ok(page.url().includes(encodeURIComponent(TARGET)), 'clicking the text navigated nowhere');
  await screenshot(page, 'synthetic-malicious-description', true);
  assert.deepEqual(watch.problems, []);
});

test('the lineage graph highlights upstream and downstream on click and opens on double click', { skip }, async () => {
  await page.goto(`${url}#/lineage`);
  await page.waitForSelector('#full-graph[data-nodes]');
  const id = 'model.synthetic.intermediate_model_0';
  const at = await page.evaluate((n) => window.docs!.lineage!.pagePosition(n), id);
  assert.ok(at, 'the node is drawn');
  await page.mouse.click(at.x, at.y);
  const graph = page.locator('#full-graph');
  assert.equal(await graph.getAttribute('data-selected'), id);
  const up = (await graph.getAttribute('data-upstream'))!.split(' ');
  assert.ok(
    up.length > 0 && up.every((u) => u.startsWith('model.synthetic.staging') || u.startsWith('source.') || u.startsWith('seed.')),
    up.join(' '),
  );
  assert.match(await page.locator('#graph-card').innerText(), /intermediate_model_0/);
  await screenshot(page, 'synthetic-lineage-selected');
  await page.mouse.dblclick(at.x, at.y);
  await page.waitForSelector(`[data-node="${id}"]`);
  assert.deepEqual(watch.problems, []);
});

test("a snapshot's versions opened and closed per day are drawn from its history", { skip }, async () => {
  await page.goto(`${url}#/node/${encodeURIComponent('snapshot.synthetic.contracts_snapshot')}`);
  await page.waitForSelector('#snapshot-history');
  assert.equal(await page.locator('#snapshot-history rect.bar.opened').count(), 14);
  assert.equal(await page.locator('#snapshot-history rect.bar.closed').count(), 14);
  assert.match(await page.locator('#snapshot-history figcaption').innerText(), /14 days/);
  await screenshot(page, 'synthetic-snapshot', true);
  assert.deepEqual(watch.problems, []);
});
