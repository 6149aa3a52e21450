/**
 * The docs site of this warehouse, in a real browser: two `daily` runs on small generated dumps,
 * then `docs generate`; the site is opened from disk and over HTTP. It loads with no console
 * error and no request leaving the site, search finds int_contracts, its page shows columns with
 * types, tests with results, SQL and parents in the lineage, and its run-history chart has one
 * point per run. Screenshots of the main pages go to target/test-output/docs/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { chromiumMissing, launchChromium, screenshot, watchPage, type Browser } from './chromium.ts';

const skip = chromiumMissing();
const prefix = testPrefix('docsite');
const env = { PIPELINE_SCHEMA_PREFIX: prefix };
const dir = mkdtempSync(join(tmpdir(), 'docs-warehouse-'));
const target = join(dir, 'target');
const RUNS = ['20260205', '20260206'];
const INT_CONTRACTS = 'model.tokyobeta.int_contracts';
let browser: Browser;
let server: Server;
let httpUrl: string;
const fileUrl = pathToFileURL(join(target, 'docs', 'index.html')).href;

before(async () => {
  if (skip) return;
  for (const [i, date] of RUNS.entries()) {
    const dump = join(dir, `gghouse_${date}.sql.gz`);
    const g = await runPipelineInProcess(
      ['generate-dump', '--out', dump, '--scale', '0.002', '--date', date, '--seed', String(i + 1)],
      env,
    );
    assert.equal(g.code, 0, g.stderr);
    const d = await runPipelineInProcess(['daily', '--dump', dump, '--target-dir', target], env);
    assert.equal(d.code, 0, d.stdout + d.stderr);
  }
  const r = await runPipelineInProcess(['docs', 'generate', '--target-dir', target], env);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(join(target, 'docs', 'index.html'));
  server = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  const db = await openTestDb(1);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(url: string, allowed: (u: string) => boolean): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.context.newPage();
  const watch = watchPage(page, allowed);
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  return { page, ...watch };
}

test('opened from disk, the site loads with no console error and requests nothing but itself', { skip }, async () => {
  const { page, problems, requests } = await open(fileUrl, (u) => u.split('#')[0] === fileUrl);
  assert.match(await page.locator('main h1').innerText(), /tokyobeta warehouse/);
  assert.equal(await page.locator('table.runs tbody tr').count(), RUNS.length, 'every run is in the history');
  await screenshot(page, 'warehouse-overview');
  await page.goto(`${fileUrl}#/lineage`);
  await page.waitForSelector('#full-graph[data-nodes]');
  await screenshot(page, 'warehouse-lineage');
  assert.deepEqual(problems, []);
  assert.deepEqual([...new Set(requests)], [fileUrl]);
  await page.close();
});

test('served over HTTP, the site loads with no console error and no request leaves the server', { skip }, async () => {
  const { page, problems, requests } = await open(httpUrl, (u) => u.startsWith(httpUrl));
  assert.ok(requests.every((u) => u.startsWith(httpUrl)));
  const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8')) as {
    nodes: Record<string, { resource_type: string }>;
    sources: object;
    exposures?: object;
  };
  const listed =
    Object.values(manifest.nodes).filter((n) => ['model', 'seed', 'snapshot'].includes(n.resource_type)).length +
    Object.keys(manifest.sources).length +
    Object.keys(manifest.exposures ?? {}).length;
  assert.equal(await page.locator('#sidebar a[data-id]').count(), listed, 'every source, seed, model, snapshot and exposure is listed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('search finds int_contracts; its page shows columns, tests, SQL and parents, and a history point per run', { skip }, async () => {
  const { page, problems } = await open(fileUrl, (u) => u.startsWith('file://'));
  await page.fill('#search', 'int_contr');
  const hit = page.locator(`#search-results a[data-id="${INT_CONTRACTS}"]`);
  await hit.waitFor();
  await screenshot(page, 'warehouse-search');
  await hit.click();
  await page.waitForSelector(`[data-node="${INT_CONTRACTS}"]`);

  const contractId = page.locator('#columns tr[data-column="contract_id"]');
  assert.match(await contractId.locator('td.coltype').innerText(), /int/);
  assert.ok((await contractId.locator('.badge.test').count()) >= 2, 'unique and not_null on contract_id');
  assert.ok((await page.locator('#tests tbody tr').count()) >= 10);
  // Every test ran in both runs: a result square per run, the latest a status badge.
  const strips = await page.locator('#tests tbody tr svg.strip').evaluateAll((svgs) => svgs.map((s) => s.querySelectorAll('rect').length));
  assert.ok(
    strips.every((n) => n === RUNS.length),
    strips.join(','),
  );
  assert.equal(await page.locator('#tests tbody tr .badge.bad').count(), 0, 'no error test fails on a published run');

  assert.match(await page.locator('pre.sql.raw').innerText(), /ref\('stg_movings'\)/);
  assert.match((await page.locator('pre.sql.compiled').textContent()) ?? '', new RegExp(`\`${prefix}silver\`\\.\`stg_movings\``));

  const parents = await page.locator('[data-testid="parents"] a').allInnerTexts();
  for (const p of ['stg_movings', 'stg_tenants', 'stg_rooms', 'stg_apartments']) assert.ok(parents.includes(p), parents.join(', '));
  const graph = page.locator('#mini-graph');
  const upstream = (await graph.getAttribute('data-upstream'))!.split(' ');
  assert.ok(upstream.includes('model.tokyobeta.stg_movings') && upstream.includes('source.tokyobeta.staging.movings'));
  assert.equal(await graph.getAttribute('data-selected'), INT_CONTRACTS);

  assert.equal(await page.locator('#row-history circle.point').count(), RUNS.length, 'one point per run');
  await screenshot(page, 'warehouse-int-contracts', true);

  // A source with freshness: one bar per run.
  await page.goto(`${fileUrl}#/node/${encodeURIComponent('source.tokyobeta.staging.movings')}`);
  await page.waitForSelector('#freshness');
  assert.equal(await page.locator('#freshness rect.bar').count(), RUNS.length);
  await screenshot(page, 'warehouse-source-movings', true);
  assert.deepEqual(problems, []);
  await page.close();
});
