/** The docs action run as the runner runs it: the site and catalog written, their paths as outputs (what the Pages upload step reads). */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../github/run-action.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';

const prefix = testPrefix('docsact');
const target = mkdtempSync(join(tmpdir(), 'docs-action-'));

after(async () => {
  const db = await openTestDb(1);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(target, { recursive: true, force: true });
});

test('the docs action writes the site and names its directory in site-dir, even before anything was built', async () => {
  const r = await runAction('docs', { 'target-dir': target, 'schema-prefix': prefix });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.outputs.status, 'success');
  assert.equal(r.outputs['site-dir'], join(target, 'docs'));
  assert.equal(r.outputs['catalog-path'], join(target, 'catalog.json'));
  assert.ok(existsSync(join(target, 'docs', 'index.html')));
  assert.match(r.summary, /site: .*index\.html/);
});
