/** The committed bundle (actions/docs/dist/site.js) is the build of the committed sources: `npm run build:docs-site` was run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSiteBundle } from '../../actions/docs/build-site.ts';
import { BUNDLE_FILE } from '../../actions/docs/site-html.ts';

test('the committed site bundle is the build of actions/docs/site/', async () => {
  const fresh = await buildSiteBundle();
  assert.ok(
    fresh === readFileSync(BUNDLE_FILE, 'utf8'),
    `${BUNDLE_FILE} is out of date. To fix this, run 'npm run build:docs-site' and commit it.`,
  );
});
