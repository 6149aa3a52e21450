/**
 * bench:docs — is the docs site of a 500-model project interactive in under 2 s? Generates the
 * site of a synthetic project (tests/docs/synthetic-project.ts: 500 models, 20 sources, 10 seeds,
 * a snapshot, exposures, 30 runs of history), opens it from disk in headless Chromium and reads,
 * in the browser, the time from navigation start to the app's `docs-interactive` mark (set on
 * the first frame after the page answers input), for the overview and for the whole lineage
 * graph; then the time a click on a graph node takes to highlight its lineage.
 *
 *   npm run bench:docs [-- --models 500 --loads 3]
 * Exit 1 when a median is over the 2 s budget.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDocsData } from '../actions/docs/docs-data.ts';
import { renderSiteHtml } from '../actions/docs/site-html.ts';
import { INTERACTIVE_MARK } from '../actions/docs/site/docs-data.ts';
import { chromiumMissing, launchChromium } from '../tests/docs/chromium.ts';
import { syntheticProject } from '../tests/docs/synthetic-project.ts';

const BUDGET_MS = 2000;
const { values } = parseArgs({ options: { models: { type: 'string', default: '500' }, loads: { type: 'string', default: '3' } } });
const models = Number(values.models);
const loads = Number(values.loads);
const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), 'bench-docs-'));
const t0 = performance.now();
const project = syntheticProject(models);
const data = buildDocsData(project);
const html = renderSiteHtml(data);
const generateMs = performance.now() - t0;
const file = join(dir, 'index.html');
writeFileSync(file, html);
const url = pathToFileURL(file).href;
console.log(
  `site of ${data.nodes.length} nodes (${models} models), ${Object.keys(data.tests).length} tests, ${data.runs.length} runs: ` +
    `${(html.length / 1024 / 1024).toFixed(2)} MiB, generated (layout included) in ${generateMs.toFixed(0)} ms`,
);

const browser = await launchChromium();
const results: Record<string, number[]> = { overview: [], lineage: [], click: [] };
/** Where the lineage page's time goes: data parsed, header and sidebar built, graph created, first frame drawn. */
const phases: Array<[number, number, number, number]> = [];
try {
  for (let i = 0; i < loads; i++) {
    for (const [name, hash] of [
      ['overview', ''],
      ['lineage', '#/lineage'],
    ] as const) {
      // A fresh page each time: nothing cached between loads.
      const page = await browser.context.newPage();
      await page.goto(url + hash);
      await page.waitForSelector('body[data-ready]');
      const ms = await page.evaluate((mark) => performance.getEntriesByName(mark)[0]!.startTime, INTERACTIVE_MARK);
      results[name]!.push(ms);
      if (name === 'lineage') {
        phases.push(
          // No named function inside: tsx would wrap it in a helper the page does not have.
          await page.evaluate(
            () =>
              ['docs-data-parsed', 'docs-shell-built', 'docs-page-built', 'docs-interactive'].map(
                (m) => performance.getEntriesByName(m)[0]!.startTime,
              ) as [number, number, number, number],
          ),
        );
      }
      if (name === 'lineage') {
        const id = data.nodes.find((n) => n.type === 'model' && n.parents.length > 1)!.id;
        // Zoomed to the node first, as a reader does: at the whole graph's zoom a node is 2 px tall.
        const at = (await page.evaluate((n) => {
          const view = window.docs!.lineage!;
          view.cy.zoom(1);
          view.cy.center(view.cy.getElementById(n));
          return view.pagePosition(n);
        }, id))!;
        const clicked = performance.now();
        await page.mouse.click(at.x, at.y);
        await page.waitForSelector(`#full-graph[data-selected="${id}"]`);
        results.click!.push(performance.now() - clicked);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
let over = false;
for (const [name, xs] of Object.entries(results)) {
  const m = median(xs);
  const budget = name === 'click' ? '' : ` (budget ${BUDGET_MS} ms${m > BUDGET_MS ? ': OVER' : ''})`;
  if (name !== 'click' && m > BUDGET_MS) over = true;
  const what = name === 'click' ? 'click to highlighted lineage' : `${name} interactive after navigation start`;
  console.log(`${what}: median ${m.toFixed(0)} ms of ${xs.map((x) => x.toFixed(0)).join(', ')}${budget}`);
}
const phase = (i: number) => median(phases.map((p) => p[i]!)).toFixed(0);
console.log(
  `lineage page, median marks after navigation start: data parsed ${phase(0)} ms, header and sidebar built ${phase(1)} ms, graph built ${phase(2)} ms, first frame drawn ${phase(3)} ms`,
);
process.exitCode = over ? 1 : 0;
