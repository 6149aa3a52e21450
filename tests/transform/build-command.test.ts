import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { qualified } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { copyProject, editFile, execAll, snapshot, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('buildcmd');
const dbPromise = openTestDb(2);
const env = { PIPELINE_SCHEMA_PREFIX: prefix };
const published = ['seeds', 'silver', 'gold'].map((s) => `${prefix}${s}`);

before(async () => {
  await execAll(await dbPromise, STAGING_SQL(`${prefix}staging`));
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;
const statusOf = (rr: RunResults, prefixId: string) => rr.results.find((r) => r.unique_id.startsWith(prefixId))?.status;

test("build runs seeds, models and tests in DAG order, each node's tests right after it", async () => {
  const dir = copyProject();
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--threads', '1'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const order = results(dir).results.map((x) => x.unique_id);
  const at = (p: string) => order.findIndex((id) => id.startsWith(p));
  assert.ok(at('seed.wap.code_contract_type') < at('test.wap.unique_code_contract_type_code'));
  assert.ok(at('test.wap.unique_int_contracts_id') < at('model.wap.contracts_by_type'), "a node waits for its parents' tests");
  assert.ok(at('model.wap.int_contracts') < at('test.wap.unique_int_contracts_id'));
  assert.match(r.stdout, /PASS=21 WARN=1 ERROR=0 SKIP=0 TOTAL=22/);
});

test("an error-severity failure skips the node's descendants; a warning does not", async () => {
  const dir = copyProject();
  editFile(dir, 'models/silver/silver.yml', (t) =>
    t.replace('values: [individual, corporate, unknown]', 'values: [individual, corporate]'),
  );
  const r = await runPipelineInProcess(['build', '--project-dir', dir], env);
  assert.equal(r.code, 1);
  const rr = results(dir);
  assert.equal(statusOf(rr, 'test.wap.accepted_values_int_contracts'), 'fail');
  assert.equal(statusOf(rr, 'model.wap.contracts_by_type'), 'skipped');
  assert.equal(statusOf(rr, 'test.wap.unique_contracts_by_type_tenant_type'), 'skipped');
  assert.equal(statusOf(rr, 'test.wap.relationships_int_contracts'), 'warn');
  assert.equal(statusOf(rr, 'test.wap.unique_int_contracts_id'), 'pass', "the failed node's other tests still run");
  assert.match(r.stdout, /SKIP=3/);

  const warnOnly = copyProject();
  editFile(warnOnly, 'models/silver/silver.yml', (t) =>
    t.replace('values: [individual, corporate, unknown]', 'values: [individual, corporate]\n              config: {severity: warn}'),
  );
  const w = await runPipelineInProcess(['build', '--project-dir', warnOnly], env);
  assert.equal(w.code, 0, w.stdout);
  assert.equal(statusOf(results(warnOnly), 'model.wap.contracts_by_type'), 'success');
});

test('a model the server rejects is an error whose descendants are skipped', async () => {
  const dir = copyProject();
  editFile(dir, 'models/silver/int_contracts.sql', (t) => t.replace('m.rent,', 'm.rent_typo,'));
  const r = await runPipelineInProcess(['build', '--project-dir', dir], env);
  assert.equal(r.code, 1);
  const rr = results(dir);
  assert.equal(statusOf(rr, 'model.wap.int_contracts'), 'error');
  assert.match(rr.results.find((x) => x.unique_id === 'model.wap.int_contracts')!.message!, /rent_typo/);
  for (const id of ['model.wap.contracts_by_type', 'test.wap.unique_int_contracts_id', 'test.wap.assert_no_future_contracts']) {
    assert.equal(statusOf(rr, id), 'skipped', id);
  }
});

test('build --publish publishes when all passes and leaves the warehouse untouched when a test fails', async () => {
  const db = await dbPromise;
  const dir = copyProject();
  const ok = await runPipelineInProcess(['build', '--publish', '--project-dir', dir], env);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.equal(results(dir).publish!.published, true);
  const beforeFail = await snapshot(db, published);
  editFile(dir, 'models/gold/contracts_by_type.sql', (t) =>
    t.replace('group by tenant_type', "group by tenant_type union all select 'unknown', 0, 0"),
  );
  const bad = await runPipelineInProcess(['build', '--publish', '--project-dir', dir], env);
  assert.equal(bad.code, 1);
  assert.equal(statusOf(results(dir), 'test.wap.unique_contracts_by_type_tenant_type'), 'fail');
  assert.deepEqual(await snapshot(db, published), beforeFail);
  assert.ok((await schemasWithPrefix(db, prefix)).includes(`${prefix}gold__shadow`), 'shadow kept for inspection');
  const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(`${prefix}gold__shadow`, 'contracts_by_type')}`);
  assert.equal(Number(row!.n), 4);
});

test("store_failures keeps a failing test's rows in the audit schema", async () => {
  const db = await dbPromise;
  const dir = copyProject();
  editFile(dir, 'models/silver/silver.yml', (t) => t.replace('severity: warn', 'severity: warn\n                store_failures: true'));
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--select', 'int_contracts'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rel = results(dir).results.find((x) => x.unique_id.startsWith('test.wap.relationships_int_contracts'))!;
  assert.match(rel.relation!, new RegExp(`^${prefix}audit\\.relationships_int_contracts`));
  const [schema, table] = rel.relation!.split('.');
  const rows = await db.query<{ from_field: number }>(`SELECT from_field FROM ${qualified(schema!, table!)}`);
  assert.deepEqual(
    rows.map((x) => Number(x.from_field)),
    [99],
  );
});

test('an incremental model under --publish keeps its published rows (copied into the shadow first); --full-refresh rebuilds it', async () => {
  const db = await dbPromise;
  const dir = copyProject();
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    join(dir, 'models', 'gold', 'contract_log.sql'),
    "{{ config(materialized='incremental', unique_key='id') }}\nselect id, rent from {{ ref('int_contracts') }}\n{% if is_incremental() %}where id > (select coalesce(max(id), 0) from {{ this }}){% endif %}\n",
  );
  const first = await runPipelineInProcess(['build', '--publish', '--project-dir', dir, '--select', '+contract_log'], env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const log = qualified(`${prefix}gold`, 'contract_log');
  await db.exec(`INSERT INTO ${log} VALUES (1000, 1)`);
  const second = await runPipelineInProcess(['build', '--publish', '--project-dir', dir, '--select', 'contract_log'], env);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  const ids = async () => (await db.query<{ id: number }>(`SELECT id FROM ${log} ORDER BY id`)).map((r) => Number(r.id));
  assert.deepEqual(await ids(), [1, 2, 3, 4, 1000]);
  const refresh = await runPipelineInProcess(
    ['build', '--publish', '--full-refresh', '--project-dir', dir, '--select', 'contract_log'],
    env,
  );
  assert.equal(refresh.code, 0, refresh.stdout + refresh.stderr);
  assert.deepEqual(await ids(), [1, 2, 3, 4]);
});

test('adding a column and a test on it in one change builds: the test is checked against the model this run builds', async () => {
  const dir = copyProject();
  const first = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  editFile(dir, 'models/gold/contracts_by_type.sql', (t) => t.replace('sum(rent) as rent', 'sum(rent) as rent, max(rent) as max_rent'));
  editFile(dir, 'models/gold/gold.yml', (t) => `${t}      - name: max_rent\n        tests: [not_null]\n`);
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(statusOf(results(dir), 'test.wap.not_null_contracts_by_type_max_rent'), 'pass');
  const db = await dbPromise;
  const [row] = await db.query<{ n: number }>(`SELECT COUNT(max_rent) AS n FROM ${qualified(`${prefix}gold`, 'contracts_by_type')}`);
  assert.ok(Number(row?.n) > 0, 'published with the new column');

  // A misspelt column of a model the run builds is an error of that test, found on the built relation.
  editFile(dir, 'models/gold/gold.yml', (t) => t.replace('name: max_rent', 'name: max_rnet'));
  const bad = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(bad.code, 1);
  const failed = results(dir).results.find((x) => x.unique_id.startsWith('test.wap.not_null_contracts_by_type_max_rnet'));
  assert.equal(failed?.status, 'error');
  assert.match(failed?.message ?? '', /'max_rnet', which .*contracts_by_type does not have/);
});
