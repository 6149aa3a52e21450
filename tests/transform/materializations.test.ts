import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../actions/platform/config.ts';
import type { Db } from '../../actions/platform/db.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { publishedResolver } from '../../actions/transform/project/resolver.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { runModels } from '../../actions/transform/run-models.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { writeProject } from '../helpers/temp-project.ts';

const prefix = testPrefix('mat');
let db: Db;
before(async () => (db = await openTestDb(6)));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const CONFIG = 'name: demo\nschema: demo\n';

async function run(dir: string, o: { select?: (id: string) => boolean; fullRefresh?: boolean; targetDir?: string } = {}) {
  const config = readConfig(dir);
  const project = readProject(dir, config);
  const ids = [...project.nodes.keys()].filter((id) => id.startsWith('model.') && (o.select?.(id) ?? true));
  const results = await runModels(project, db, {
    select: ids,
    resolver: publishedResolver(createSchemas(config, prefix)),
    threads: 4,
    fullRefresh: o.fullRefresh,
    targetDir: o.targetDir,
    log: silentLogger,
  });
  return Object.fromEntries(results.map((r) => [r.unique_id.split('.').pop()!, r]));
}

const q = (sql: string) => db.query(sql.replaceAll('P_', prefix));

test('view and table materializations, custom schemas verbatim and created, default schema otherwise', async () => {
  const dir = writeProject({
    'pipeline.yml': CONFIG,
    'models/base.sql': "{{ config(materialized='table', schema='silver') }}select 1 as id, 'a' as v union all select 2, 'b'",
    'models/v.sql': "{{ config(schema='gold') }}select id, v from {{ ref('base') }} where id > 1",
    'models/d.sql': "select count(*) as n from {{ ref('v') }}",
  });
  const r = await run(dir);
  assert.equal(r.base!.status, 'success');
  assert.equal(r.base!.adapter_response.rows_affected, 2);
  assert.equal(r.base!.message, 'SELECT 2');
  assert.equal(r.v!.message, 'CREATE VIEW');
  assert.deepEqual(await q('SELECT id, v FROM `P_gold`.v'), [{ id: 2, v: 'b' }]);
  assert.deepEqual(await q('SELECT CAST(n AS CHAR) AS n FROM `P_demo`.d'), [{ n: '1' }]);
  const kinds = await q(
    "SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS k FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE 'P\\_%' ESCAPE '\\\\' ORDER BY 1, 2".replace(
      "'P\\_%'",
      `'${prefix.replace(/_/g, '\\_')}%'`,
    ),
  );
  assert.deepEqual(
    kinds.map((k) => `${String(k.s).slice(prefix.length)}.${k.t}:${k.k}`),
    ['demo.d:VIEW', 'gold.v:VIEW', 'silver.base:BASE TABLE'],
  );
  // Switching a model from table to view (and back) replaces what is there.
  writeFileSync(join(dir, 'models/base.sql'), "{{ config(schema='silver') }}select 3 as id, 'c' as v");
  assert.equal((await run(dir, { select: (id) => id.endsWith('.base') })).base!.status, 'success');
  assert.deepEqual(await q('SELECT id FROM `P_silver`.base'), [{ id: 3 }]);
  writeFileSync(join(dir, 'models/base.sql'), "{{ config(schema='silver', materialized='table') }}select 4 as id, 'd' as v");
  await run(dir, { select: (id) => id.endsWith('.base') });
  assert.deepEqual(await q('SELECT id FROM `P_silver`.base'), [{ id: 4 }]);
});

test('a reader querying a table in a loop during rebuilds always gets the old or the new full table', async () => {
  const dir = writeProject({
    'pipeline.yml': CONFIG,
    'models/big.sql': [
      "{{ config(materialized='table') }}",
      "{%- set digits = 'select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all select 5 union all select 6 union all select 7 union all select 8 union all select 9' -%}",
      'select a.n * 1000 + b.n * 100 + c.n * 10 + d.n as id, {{ var("gen") }} as gen',
      'from ({{ digits }}) a cross join ({{ digits }}) b cross join ({{ digits }}) c cross join ({{ digits }}) d',
      'where a.n < 5',
    ].join('\n'),
  });
  const config = readConfig(dir);
  const schemas = createSchemas(config, prefix);
  const build = async (gen: number) => {
    const project = readProject(dir, config, { vars: { gen } });
    const [r] = await runModels(project, db, { select: ['model.demo.big'], resolver: publishedResolver(schemas), log: silentLogger });
    assert.equal(r!.status, 'success', `build ${gen}: ${r!.message}`);
  };
  await build(0);
  let stop = false;
  const seen = new Set<string>();
  let reads = 0;
  const reader = (async () => {
    while (!stop) {
      const rows = await db.query<{ n: string; g: string; k: string }>(
        `SELECT COUNT(*) AS n, MIN(gen) AS g, COUNT(DISTINCT gen) AS k FROM \`${prefix}demo\`.big`,
      );
      assert.equal(Number(rows[0]!.n), 5000, 'the reader saw a partial table');
      assert.equal(Number(rows[0]!.k), 1, 'the reader saw a mix of two builds');
      seen.add(String(rows[0]!.g));
      reads++;
    }
  })();
  for (let gen = 1; gen <= 6; gen++) await build(gen);
  stop = true;
  await reader;
  assert.ok(reads > 5, `only ${reads} reads`);
  assert.ok(seen.size >= 2, `the reader saw ${[...seen].join(',')}`);
  const leftovers = await q(
    `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${prefix}demo' AND TABLE_NAME LIKE 'big%'`,
  );
  assert.deepEqual(
    leftovers.map((r) => r.t),
    ['big'],
    'no __new/__old tables left behind',
  );
});

test('incremental: first run builds, then append without unique_key, merge with it; --full-refresh rebuilds', async () => {
  const dir = writeProject({
    'pipeline.yml': CONFIG + 'vars:\n  batch: 1\n',
    'seeds/.keep': '',
    'models/src.sql': "{{ config(materialized='table') }}select 1 as id, cast('one' as char(10)) as v union all select 2, 'two'",
    'models/app.sql':
      "{{ config(materialized='incremental') }}select id, v from {{ ref('src') }}{% if is_incremental() %} where id > (select max(id) from {{ this }}){% endif %}",
    'models/mrg.sql': "{{ config(materialized='incremental', unique_key='id') }}select id, v from {{ ref('src') }}",
  });
  const r1 = await run(dir);
  assert.equal(r1.app!.message, 'SELECT 2');
  writeFileSync(
    join(dir, 'models/src.sql'),
    "{{ config(materialized='table') }}select 1 as id, cast('ONE' as char(10)) as v union all select 3, 'three'",
  );
  const r2 = await run(dir);
  assert.equal(r2.app!.message, 'INSERT 1');
  assert.equal(r2.mrg!.message, 'INSERT 2');
  assert.deepEqual(await q('SELECT id, v FROM `P_demo`.app ORDER BY id'), [
    { id: 1, v: 'one' },
    { id: 2, v: 'two' },
    { id: 3, v: 'three' },
  ]);
  assert.deepEqual(await q('SELECT id, v FROM `P_demo`.mrg ORDER BY id'), [
    { id: 1, v: 'ONE' },
    { id: 2, v: 'two' },
    { id: 3, v: 'three' },
  ]);
  const r3 = await run(dir, { fullRefresh: true });
  assert.equal(r3.mrg!.message, 'SELECT 2');
  assert.deepEqual(await q('SELECT id, v FROM `P_demo`.mrg ORDER BY id'), [
    { id: 1, v: 'ONE' },
    { id: 3, v: 'three' },
  ]);
});

test('ephemeral models create nothing and are inlined into their children', async () => {
  const dir = writeProject({
    'pipeline.yml': CONFIG,
    'models/eph.sql': "{{ config(materialized='ephemeral') }}select 7 as id",
    'models/uses.sql': "{{ config(schema='eph_out') }}select id * 2 as twice from {{ ref('eph') }}",
  });
  const r = await run(dir);
  assert.deepEqual(Object.keys(r), ['uses'], 'ephemeral models have no result of their own');
  assert.deepEqual(await q('SELECT CAST(twice AS CHAR) AS twice FROM `P_eph_out`.uses'), [{ twice: '14' }]);
  assert.deepEqual(
    await q(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME = 'eph' AND TABLE_SCHEMA LIKE '${prefix}%'`),
    [],
  );
});

test('a failing model names its file, the server message and the compiled SQL; descendants are skipped, the rest go on, and the published table stays', async () => {
  const target = writeProject({});
  const dir = writeProject({
    'pipeline.yml': CONFIG,
    'models/good.sql': "{{ config(materialized='table', schema='fail') }}select 1 as id",
    'models/child.sql': "{{ config(materialized='table', schema='fail') }}select id from {{ ref('good') }}",
    'models/grandchild.sql': "{{ config(schema='fail') }}select id from {{ ref('child') }}",
    'models/other.sql': "{{ config(schema='fail') }}select 2 as id",
  });
  assert.equal(
    Object.values(await run(dir)).every((r) => r.status === 'success'),
    true,
  );
  writeFileSync(
    join(dir, 'models/child.sql'),
    "{{ config(materialized='table', schema='fail') }}select id, no_such_column from {{ ref('good') }}",
  );
  const r = await run(dir, { targetDir: target });
  assert.equal(r.good!.status, 'success');
  assert.equal(r.other!.status, 'success');
  assert.equal(r.child!.status, 'error');
  assert.match(r.child!.message!, /model child \(models\/child\.sql\) failed: Unknown column 'no_such_column'/);
  const compiled = join(target, 'compiled', 'demo', 'models', 'child.sql');
  assert.ok(r.child!.message!.includes(compiled));
  assert.ok(existsSync(compiled) && readFileSync(compiled, 'utf8').includes('no_such_column'));
  assert.equal(r.grandchild!.status, 'skipped');
  assert.match(r.grandchild!.message!, /upstream model\.demo\.child failed/);
  assert.deepEqual(await q('SELECT id FROM `P_fail`.child'), [{ id: 1 }], 'the published table is the old one');
  assert.ok(r.good!.timing.length === 2 && r.good!.execution_time >= 0);
});

test('independent models run at the same time on the pool', async () => {
  const files: Record<string, string> = { 'pipeline.yml': CONFIG };
  for (let i = 0; i < 4; i++)
    files[`models/slow${i}.sql`] = `{{ config(materialized='table', schema='par') }}select sleep(0.3) as s, connection_id() as conn`;
  const dir = writeProject(files);
  const r = Object.values(await run(dir));
  assert.equal(r.filter((x) => x.status === 'success').length, 4);
  // Not a timing threshold (the machine may be busy): the executions overlap, on different connections.
  const spans = r
    .map((x) => x.timing.find((t) => t.name === 'execute')!)
    .map((t) => [Date.parse(t.started_at), Date.parse(t.completed_at)] as const);
  const overlapping = spans.some(([s1, e1], i) => spans.some(([s2], j) => i !== j && s2 >= s1 && s2 < e1));
  assert.ok(overlapping, JSON.stringify(spans));
  const conns = new Set<string>();
  for (let i = 0; i < 4; i++) for (const row of await q(`SELECT conn FROM \`P_par\`.slow${i}`)) conns.add(String(row.conn));
  assert.ok(conns.size >= 2, `all models ran on connection ${[...conns].join(',')}`);
});
