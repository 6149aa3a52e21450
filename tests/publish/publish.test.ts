import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { qualified, quoteIdent } from '../../actions/platform/db.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { cleanLeftovers, layerOf, notPublished, publishShadows, retargetViewSql } from '../../actions/publish/publish.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';

const prefix = testPrefix('publish');
const dbPromise = openTestDb(4);
const schemas = createSchemas({ schema: 'gold', staging: { schema: 'staging' }, metaSchema: 'meta', auditSchema: 'audit' }, prefix);

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

async function exec(sqls: string[]) {
  const db = await dbPromise;
  for (const s of sqls) await db.exec(s);
}

test('a view definition read from a shadow schema is rewritten to name the published schemas', () => {
  const sql = 'select `p_silver__shadow`.`x`.`id` AS `id` from `p_silver__shadow`.`x` join `p_staging`.`y`';
  assert.equal(
    retargetViewSql(sql, new Map([['p_silver__shadow', 'p_silver']])),
    'select `p_silver`.`x`.`id` AS `id` from `p_silver`.`x` join `p_staging`.`y`',
  );
});

test('publish swaps every shadow table in one statement, carries over unbuilt tables, mirrors staging and recreates views', async () => {
  const db = await dbPromise;
  const st = layerOf(schemas, 'staging', 'mirror');
  const silver = layerOf(schemas, 'silver');
  const gold = layerOf(schemas, undefined);
  const q = quoteIdent;
  await exec([
    `CREATE DATABASE ${q(st.published)}`,
    `CREATE DATABASE ${q(silver.published)}`,
    `CREATE DATABASE ${q(gold.published)}`,
    `CREATE TABLE ${qualified(st.published, 'tenants')} (id INT) SELECT 1 AS id`,
    `CREATE TABLE ${qualified(st.published, 'vendor_dropped')} (id INT) SELECT 9 AS id`,
    `CREATE TABLE ${qualified(silver.published, 'unchanged_seed')} (id INT) SELECT 7 AS id`,
    `CREATE TABLE ${qualified(gold.published, 'summary')} (n INT) SELECT 1 AS n`,
    `CREATE DATABASE ${q(st.shadow)}`,
    `CREATE DATABASE ${q(silver.shadow)}`,
    `CREATE DATABASE ${q(gold.shadow)}`,
    `CREATE TABLE ${qualified(st.shadow, 'tenants')} (id INT) SELECT 1 AS id UNION ALL SELECT 2`,
    `CREATE VIEW ${qualified(silver.shadow, 'stg_tenants')} AS SELECT id FROM ${qualified(st.shadow, 'tenants')}`,
    `CREATE VIEW ${qualified(silver.shadow, 'stg_tenants_2')} AS SELECT id FROM ${qualified(silver.shadow, 'stg_tenants')}`,
    `CREATE TABLE ${qualified(gold.shadow, 'summary')} (n INT) SELECT COUNT(*) AS n FROM ${qualified(silver.shadow, 'stg_tenants')}`,
  ]);
  const result = await publishShadows(db, { layers: [st, silver, gold], log: createMemoryLogger() });
  assert.equal(result.published, true);
  assert.equal(result.tables, 2);
  assert.equal(result.reason, undefined);
  const names = await schemasWithPrefix(db, prefix);
  assert.deepEqual(
    names.filter((n) => n.endsWith('__shadow') || n.endsWith('__old')),
    [],
    'shadow and old schemas dropped',
  );
  const [sum] = await db.query<{ n: number }>(`SELECT n FROM ${qualified(gold.published, 'summary')}`);
  assert.equal(Number(sum!.n), 2);
  const [v] = await db.query<{ c: number }>(`SELECT COUNT(*) AS c FROM ${qualified(silver.published, 'stg_tenants_2')}`);
  assert.equal(Number(v!.c), 2, 'the view reads the published staging');
  const [def] = await db.query<{ d: string }>(
    'SELECT VIEW_DEFINITION AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [silver.published, 'stg_tenants'],
  );
  assert.doesNotMatch(def!.d, /__shadow/);
  const staging = await db.query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [
    st.published,
  ]);
  assert.deepEqual(
    staging.map((r) => r.t),
    ['tenants'],
    'a table absent from the mirrored shadow leaves staging',
  );
  const [seed] = await db.query<{ id: number }>(`SELECT id FROM ${qualified(silver.published, 'unchanged_seed')}`);
  assert.equal(Number(seed!.id), 7, 'a table without a shadow version stays');
});

test('a table that becomes a view and a view that becomes a table are both replaced', async () => {
  const db = await dbPromise;
  const l = layerOf(schemas, 'kinds');
  await exec([
    `CREATE DATABASE ${quoteIdent(l.published)}`,
    `CREATE TABLE ${qualified(l.published, 'a')} (x INT) SELECT 1 AS x`,
    `CREATE VIEW ${qualified(l.published, 'b')} AS SELECT 1 AS x`,
    `CREATE DATABASE ${quoteIdent(l.shadow)}`,
    `CREATE VIEW ${qualified(l.shadow, 'a')} AS SELECT 2 AS x`,
    `CREATE TABLE ${qualified(l.shadow, 'b')} (x INT) SELECT 3 AS x`,
  ]);
  await publishShadows(db, { layers: [l], log: createMemoryLogger() });
  const rows = await db.query<{ t: string; k: string }>(
    'SELECT TABLE_NAME AS t, TABLE_TYPE AS k FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
    [l.published],
  );
  assert.deepEqual(
    rows.map((r) => `${r.t}:${r.k}`),
    ['a:VIEW', 'b:BASE TABLE'],
  );
  const [a] = await db.query<{ x: number }>(`SELECT x FROM ${qualified(l.published, 'a')}`);
  assert.equal(Number(a!.x), 2);
});

test('without a publish the shadow is kept and named; the next run cleans it', async () => {
  const db = await dbPromise;
  const l = layerOf(schemas, 'kept');
  await exec([`CREATE DATABASE ${quoteIdent(l.shadow)}`, `CREATE DATABASE ${quoteIdent(l.old)}`]);
  const r = await notPublished(db, [l], 'an error-severity test failed');
  assert.equal(r.published, false);
  assert.deepEqual(r.shadowSchemas, [l.shadow]);
  assert.match(r.reason!, /kept for inspection/);
  assert.deepEqual((await cleanLeftovers(db, [l])).sort(), [l.old, l.shadow].sort());
  assert.deepEqual(await cleanLeftovers(db, [l]), []);
});

test("the loader's staging plan joins the one RENAME: triggers move with their tables, a view a new table replaces goes first", async () => {
  const db = await dbPromise;
  const st = layerOf(schemas, 'joined_staging');
  const silver = layerOf(schemas, 'joined_silver');
  const trigger = 'CREATE TRIGGER trg_t BEFORE INSERT ON t FOR EACH ROW SET NEW.id = NEW.id + 100';
  await exec([
    `CREATE DATABASE ${quoteIdent(st.published)}`,
    `CREATE TABLE ${qualified(st.published, 't')} (id INT) SELECT 1 AS id`,
    `CREATE TRIGGER ${qualified(st.published, 'trg_t')} BEFORE INSERT ON ${qualified(st.published, 't')} FOR EACH ROW SET NEW.id = NEW.id + 100`,
    `CREATE VIEW ${qualified(st.published, 'v2')} AS SELECT 1 AS id`,
    `CREATE TABLE ${qualified(st.published, 'gone')} (id INT)`,
    `CREATE TABLE ${qualified(st.published, 'kept')} (id INT) SELECT 5 AS id`,
    `CREATE DATABASE ${quoteIdent(st.shadow)}`,
    `CREATE TABLE ${qualified(st.shadow, 't')} (id INT) SELECT 2 AS id`,
    `CREATE TABLE ${qualified(st.shadow, 'v2')} (id INT) SELECT 3 AS id`,
    `CREATE DATABASE ${quoteIdent(silver.shadow)}`,
    `CREATE TABLE ${qualified(silver.shadow, 's')} (id INT) SELECT 4 AS id`,
  ]);
  const log = createMemoryLogger();
  const result = await publishShadows(db, {
    layers: [st, silver],
    log,
    staging: {
      target: st.published,
      shadow: st.shadow,
      old: st.old,
      replace: ['t', 'v2'],
      drop: ['gone'],
      unchanged: ['kept'],
      dropViews: [],
      objects: [{ type: 'TRIGGER', name: 'trg_t', sql: trigger, sessionSql: '' }],
    },
  });
  assert.equal(result.published, true);
  assert.equal(result.tables, 3);
  assert.match(log.lines.join('\n'), /published 3 table\(s\) of .* in one RENAME TABLE/);
  const tables = await db.query<{ t: string; k: string }>(
    'SELECT TABLE_NAME AS t, TABLE_TYPE AS k FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
    [st.published],
  );
  assert.deepEqual(
    tables.map((r) => `${r.t}:${r.k}`),
    ['kept:BASE TABLE', 't:BASE TABLE', 'v2:BASE TABLE'],
  );
  const [t] = await db.query<{ id: number }>(`SELECT id FROM ${qualified(st.published, 't')}`);
  assert.equal(Number(t!.id), 2, 'the new t is published');
  await db.exec(`INSERT INTO ${qualified(st.published, 't')} VALUES (1)`);
  const ids = await db.query<{ id: number }>(`SELECT id FROM ${qualified(st.published, 't')} ORDER BY id`);
  assert.deepEqual(
    ids.map((r) => Number(r.id)),
    [2, 101],
    'the dump trigger is on the new t',
  );
  const [s] = await db.query<{ id: number }>(`SELECT id FROM ${qualified(silver.published, 's')}`);
  assert.equal(Number(s!.id), 4);
  const left = (await schemasWithPrefix(db, prefix)).filter((n) => n.startsWith(`${prefix}joined`) && /__(old|shadow)$/.test(n));
  assert.deepEqual(left, [], 'old and shadow schemas dropped');
});
