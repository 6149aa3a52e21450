/**
 * The committed bundles (actions/<stage>/dist, `npm run build:actions`) run without the sources
 * and without tsx: what they open next to themselves is there (the loader's WebAssembly is used by
 * every load in the workflow tests), and the generator's worker, bundled under the name the code
 * asks for, builds the same rows as the source worker. The bundles name no path of the checkout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ROOT } from '../helpers/cli.ts';
import { catalog } from '../../scripts/generate-dump/catalog.ts';
import { World } from '../../scripts/generate-dump/world.ts';
import type { SegmentReply } from '../../scripts/generate-dump/segment-worker.ts';
import { STAGES } from '../../scripts/build-actions.ts';

for (const stage of STAGES) {
  test(`the ${stage} bundle is self-contained: no path of this checkout, no tsx at run time`, () => {
    const text = readFileSync(join(ROOT, 'actions', stage, 'dist', 'index.mjs'), 'utf8');
    assert.ok(!text.includes(ROOT), 'an absolute path of the checkout is in the bundle');
    assert.doesNotMatch(text, /from ['"]tsx(\/|['"])/);
    // A require() the bundler could not see (one made by createRequire: esbuild renames it
    // require2, require3, …; or its own __require) is left to run time, where the action has no
    // node_modules: every dependency of ours must be inside the bundle.
    const ours = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies as object);
    for (const dep of ours) {
      assert.ok(
        !new RegExp(`(__require|require\\d+)\\(["']${dep.replace(/[/.]/g, '\\$&')}(/[^"']*)?["']\\)`).test(text),
        `${dep} is required at run time`,
      );
      assert.ok(!new RegExp(`import\\(["']${dep.replace(/[/.]/g, '\\$&')}(/[^"']*)?["']\\)`).test(text), `${dep} is imported at run time`);
    }
    assert.ok(
      readFileSync(join(ROOT, 'actions', stage, 'dist', 'scan-values.wasm')).equals(
        readFileSync(join(ROOT, 'actions', 'load', 'scan-values.wasm')),
      ),
    );
  });
}

async function segmentFrom(entry: URL, data: object, table: string): Promise<SegmentReply> {
  const w = new Worker(entry, { workerData: data });
  try {
    return await new Promise<SegmentReply>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.postMessage({ id: 1, table, first: 1, last: 50 });
    });
  } finally {
    await w.terminate();
  }
}

test("the bundled generator worker builds the same rows as the source's", async () => {
  const world = new World(1, 0.01, '20260205').plan();
  const table = catalog(world).find((t) => t.segment)!.def.name;
  const data = { seed: 1, scale: 0.01, date: '20260205', plan: world.planned() };
  const bundled = await segmentFrom(pathToFileURL(join(ROOT, 'actions', 'daily', 'dist', 'segment-worker-entry.mjs')), data, table);
  const source = await segmentFrom(pathToFileURL(join(ROOT, 'scripts', 'generate-dump', 'segment-worker-entry.mjs')), data, table);
  assert.equal(bundled.error, undefined, bundled.error);
  assert.ok(bundled.lengths!.length > 0);
  assert.deepEqual(Buffer.from(bundled.bytes!), Buffer.from(source.bytes!));
});
