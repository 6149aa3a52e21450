import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { collectTableCounts, countTargets } from '../../actions/report/published-counts.ts';
import { renderReport } from '../../actions/report/render-report.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { fixtureRunResults } from '../fixtures/run-results.ts';

const prefix = testPrefix('counts');
const staging = `${prefix}staging`;
const gold = `${prefix}gold`;
const seeds = `${prefix}seeds`;
const meta = `${prefix}pipeline_meta`;
const manifest = {
  nodes: {
    'model.p.orders': { resource_type: 'model', name: 'orders', schema: gold, config: { schema: 'gold' } },
    'model.p.orders_v': { resource_type: 'model', name: 'orders_v', schema: gold, config: { schema: 'gold', materialized: 'view' } },
    'seed.p.codes': { resource_type: 'seed', name: 'codes', schema: `${seeds}__shadow`, config: { schema: 'seeds' } },
    'test.p.unique_orders_id.abc123': { resource_type: 'test', name: 'unique_orders_id', schema: gold },
  },
};
let db: Db;

before(async () => {
  db = await openTestDb(2);
  for (const s of [staging, gold, seeds]) await db.exec(`CREATE DATABASE ${quoteIdent(s)}`);
  await db.exec(`CREATE TABLE ${qualified(staging, 'tenants')} (id INT)`);
  await db.exec(`INSERT INTO ${qualified(staging, 'tenants')} VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)`);
  await db.exec(`CREATE TABLE ${qualified(gold, 'orders')} (id INT)`);
  await db.exec(`INSERT INTO ${qualified(gold, 'orders')} VALUES (1), (2)`);
  await db.exec(`CREATE VIEW ${qualified(gold, 'orders_v')} AS SELECT id FROM ${qualified(gold, 'orders')}`);
  await db.exec(`CREATE TABLE ${qualified(seeds, 'codes')} (c INT)`);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('the published schemas of a run are staging and where its seeds and models build (shadow names mapped back), each with its layer', () => {
  assert.deepEqual(countTargets(manifest, staging), [
    { schema: staging, layer: 'staging' },
    { schema: gold, layer: 'gold' },
    { schema: seeds, layer: 'seeds' },
  ]);
});

test('exact counts by layer, views without a count; the next run sees these as its previous counts', async () => {
  const first = await collectTableCounts(db, countTargets(manifest, staging), meta, 'run-1');
  const byName = Object.fromEntries(first.map((c) => [`${c.schema}.${c.table}`, c]));
  assert.deepEqual(byName[`${staging}.tenants`], {
    schema: staging,
    table: 'tenants',
    layer: 'staging',
    kind: 'table',
    rows: 10,
    previousRows: null,
  });
  assert.equal(byName[`${gold}.orders_v`]!.kind, 'view');
  assert.equal(byName[`${gold}.orders_v`]!.rows, null);
  assert.equal(byName[`${seeds}.codes`]!.rows, 0);

  await db.exec(`DELETE FROM ${qualified(staging, 'tenants')} WHERE id > 7`);
  const second = await collectTableCounts(db, countTargets(manifest, staging), meta, 'run-2');
  const tenants = second.find((c) => c.table === 'tenants')!;
  assert.equal(tenants.rows, 7);
  assert.equal(tenants.previousRows, 10);
  const again = await collectTableCounts(db, countTargets(manifest, staging), meta, 'run-2');
  assert.equal(
    again.find((c) => c.table === 'tenants')!.previousRows,
    10,
    'reporting the same run again compares with the run before, not itself',
  );

  const md = renderReport({ ...fixtureRunResults(), tables: second });
  assert.match(md, new RegExp(`\\| \`${staging}\\.tenants\` \\| table \\| 7 \\| 10 \\| ⚠️ -3 \\(-30\\.0%\\) \\|`));
});
