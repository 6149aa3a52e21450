import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';

const prefix = testPrefix('shop');
const SHOP = join(ROOT, 'tests', 'fixtures', 'dbt-shop');
const target = mkdtempSync(join(tmpdir(), 'shop-target-'));
let db: Db;
before(async () => (db = await openTestDb()));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const cli = (args: string[], dir = SHOP) =>
  runPipelineInProcess([...args, '--project-dir', dir, '--target-dir', target, '--schema-prefix', prefix]);

test('the sample dbt project seeds and runs with --project-dir and gives the values computed by hand', async () => {
  const seeded = await cli(['seed']);
  assert.equal(seeded.code, 0, seeded.stderr);
  const ran = await cli(['run', '--threads', '2']);
  assert.equal(ran.code, 0, ran.stderr);
  // Orders since 2026-01-01 (order 7 of 2025-12-30 is filtered by the min_order_date var):
  // customer 1: orders 1 (completed 12.50), 2 (returned 5.00), 6 (completed 8.00)
  // customer 2: orders 3 (completed 20.00), 4 (pending 7.25); customer 3: order 5 (completed 3.10).
  const rows = await db.query(`SELECT customer_id, customer_name, completed_count, returned_count, pending_count,
      CAST(completed_amount AS CHAR) AS completed_amount, order_count FROM \`${prefix}shop_marts\`.customer_orders ORDER BY customer_id`);
  assert.deepEqual(
    rows.map((r) => Object.values(r).map(String)),
    [
      ['1', 'Tanaka, Aiko', '2', '1', '0', '20.50', '3'],
      ['2', 'Suzuki "Ken"', '1', '0', '1', '20.00', '2'],
      ['3', 'Sato', '1', '0', '0', '3.10', '1'],
    ],
  );
  const totals = await db.query(
    `SELECT customer_id, CAST(total AS CHAR) AS total, n FROM \`${prefix}shop_marts\`.order_totals ORDER BY customer_id`,
  );
  assert.deepEqual(
    totals.map((r) => Object.values(r).map(String)),
    [
      ['1', '20.50', '2'],
      ['2', '20.00', '1'],
      ['3', '3.10', '1'],
    ],
  );
  const status = await db.query(`SELECT code, label FROM \`${prefix}shop_seeds\`.code_status ORDER BY code`);
  assert.deepEqual(
    status.map((r) => r.label),
    ['Completed', 'Pending', 'Returned; refunded'],
  );

  const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.parent_map['model.shop.stg_orders'], ['source.shop.raw.orders']);
  assert.ok(manifest.child_map['model.shop.stg_orders'].includes('model.shop.customer_orders'));
  assert.match(manifest.nodes['model.shop.customer_orders'].checksum.checksum, /^[0-9a-f]{64}$/);
  assert.equal(manifest.nodes['model.shop.customer_orders'].relation_name, `\`${prefix}shop_marts\`.\`customer_orders\``);
  assert.equal(manifest.sources['source.shop.raw.orders'].identifier, 'raw_orders');
  const results = JSON.parse(readFileSync(join(target, 'pipeline_results.json'), 'utf8')) as RunResults;
  assert.equal(results.status, 'success');
  const co = results.results.find((r) => r.unique_id === 'model.shop.customer_orders')!;
  assert.equal(co.status, 'success');
  assert.equal(co.adapter_response.rows_affected, 3);
  assert.ok(existsSync(join(target, 'compiled', 'shop', 'models', 'marts', 'customer_orders.sql')));
});

test('ls lists the selected nodes with type and materialization; compile writes SQL without a database', async () => {
  const ls = await cli(['ls', '--select', '+customer_orders', '--exclude', 'resource_type:test']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.deepEqual(
    ls.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).join(' ')),
    [
      'model table shop.customer_orders',
      'model view shop.stg_customers',
      'model view shop.stg_orders',
      'seed seed shop.raw_customers',
      'source source shop.raw.orders',
    ],
  );
  const json = await cli(['ls', '--select', 'order_totals', '--output', 'json']);
  const entry = JSON.parse(json.stdout.split('\n')[0]!);
  assert.equal(entry.config.materialized, 'incremental');
  assert.deepEqual(Object.keys(entry).sort(), [
    'alias',
    'config',
    'depends_on',
    'name',
    'original_file_path',
    'package_name',
    'resource_type',
    'tags',
    'unique_id',
  ]);
  const keys = await cli([
    'ls',
    '--select',
    '+customer_orders',
    '--resource-type',
    'model',
    '--output',
    'json',
    '--output-keys',
    'name resource_type',
  ]);
  assert.deepEqual(
    keys.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    ['customer_orders', 'stg_customers', 'stg_orders'].map((name) => ({ name, resource_type: 'model' })),
  );
  const sel = await cli([
    'ls',
    '--select',
    '+customer_orders',
    '--resource-type',
    'seed',
    '--resource-type',
    'source',
    '--output',
    'selector',
  ]);
  assert.deepEqual(sel.stdout.trim().split('\n'), ['shop.raw_customers', 'source:shop.raw.orders']);
  const paths = await cli(['ls', '--select', 'customer_orders', '--resource-type', 'model', '--output', 'path']);
  assert.equal(paths.stdout.trim(), 'models/marts/customer_orders.sql');
  const bad = await cli(['ls', '--resource-type', 'widget']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--resource-type widget is not one of/);
  const compiled = await runPipelineInProcess(['compile', '--project-dir', SHOP, '--target-dir', target, '--schema-prefix', prefix], {
    DATABASE_URL: 'mysql://nobody@127.0.0.1:1',
  });
  assert.equal(compiled.code, 0, compiled.stderr);
  const sql = readFileSync(join(target, 'compiled', 'shop', 'models', 'marts', 'order_totals.sql'), 'utf8');
  assert.match(sql, /^with `__dbt__cte__completed_orders` as \(/);
});

test('project errors exit 2 with every problem; a SQL error exits 1 naming file, server message and compiled SQL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-bad-'));
  cpSync(SHOP, dir, { recursive: true });
  writeFileSync(
    join(dir, 'models/marts/broken.sql'),
    "{{ config(materialized='table', colour='red') }}select * from {{ ref('stg_order') }}",
  );
  const bad = await cli(['run'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ref\('stg_order'\).*Did you mean 'stg_orders'\?/);
  writeFileSync(join(dir, 'models/marts/broken.sql'), "{{ config(materialized='table') }}select no_such_col from {{ ref('stg_orders') }}");
  const failed = await cli(['run', '--select', 'broken'], dir);
  assert.equal(failed.code, 1);
  assert.match(
    failed.stderr,
    /model broken \(models\/marts\/broken\.sql\) failed: Unknown column 'no_such_col'.*Compiled SQL: .*compiled\/shop\/models\/marts\/broken\.sql/,
  );
  const results = JSON.parse(readFileSync(join(target, 'pipeline_results.json'), 'utf8')) as RunResults;
  assert.equal(results.status, 'error');
});

test('--vars overrides a project var', async () => {
  const r = await cli(['run', '--select', 'stg_orders+', '--exclude', 'order_totals', '--vars', "{min_order_date: '2026-02-01'}"]);
  assert.equal(r.code, 0, r.stderr);
  const rows = await db.query(`SELECT SUM(order_count) AS n FROM \`${prefix}shop_marts\`.customer_orders`);
  assert.equal(Number(rows[0]!.n), 3, 'orders 4, 5, 6 are on or after 2026-02-01');
});

test('ls --select state:modified+ --state DIR lists what a change touches', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'shop-state-'));
  const base = await runPipelineInProcess(['compile', '--project-dir', SHOP, '--target-dir', stateDir, '--schema-prefix', prefix]);
  assert.equal(base.code, 0, base.stderr);
  const dir = mkdtempSync(join(tmpdir(), 'shop-changed-'));
  cpSync(SHOP, dir, { recursive: true });
  writeFileSync(
    join(dir, 'models/staging/stg_customers.sql'),
    'select id as customer_id, upper(name) as customer_name, signup_date, is_vip\nfrom {{ ref("raw_customers") }}\n',
  );
  const r = await runPipelineInProcess([
    'ls',
    '--project-dir',
    dir,
    '--target-dir',
    join(dir, 'target'),
    '--select',
    'state:modified+',
    '--exclude',
    'resource_type:test',
    '--state',
    stateDir,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).pop()),
    ['shop.customer_orders', 'shop.stg_customers'],
  );
  const missing = await runPipelineInProcess(['ls', '--project-dir', dir, '--select', 'state:modified', '--state', join(dir, 'nowhere')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no manifest\.json there/);
});
