import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDocsData } from '../../actions/docs/docs-data.ts';
import { SearchIndex } from '../../actions/docs/site/search.ts';
import { syntheticProject } from './synthetic-project.ts';

const data = buildDocsData(syntheticProject(30, { runs: 3 }));
const index = new SearchIndex(data.nodes);

test('a name ranks an exact match first, then names starting with it', () => {
  const hits = index.search('code_1');
  assert.equal(hits[0]!.node.name, 'code_1');
  assert.equal(hits[0]!.reason, 'name');
});

test('search finds nodes by column and by description, and says why', () => {
  const byColumn = index.search('col_12');
  assert.ok(byColumn.length > 0 && byColumn.every((h) => h.reason === 'column col_12'));
  const byDescription = index.search('dashboard');
  assert.ok(byDescription.some((h) => h.node.type === 'exposure'));
  assert.ok(index.search('intermediate layer').every((h) => h.node.layer === 'intermediate'));
});

test('every word of a query must match; nothing matches nothing', () => {
  assert.deepEqual(index.search('staging_model_1 nonexistentword'), []);
  assert.deepEqual(index.search('   '), []);
});
