/**
 * dbt's on_schema_change for incremental models, each value on a model whose query gains a
 * column, loses one and widens another: ignore, append_new_columns, sync_all_columns, fail; a
 * full refresh ignores it (the table is rebuilt).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../../actions/platform/config.ts';
import type { Db } from '../../actions/platform/db.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { publishedResolver } from '../../actions/transform/project/resolver.ts';
import { runModels } from '../../actions/transform/run-models.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { writeProject } from '../helpers/temp-project.ts';

const prefix = testPrefix('osc');
let db: Db;
before(async () => (db = await openTestDb(4)));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

async function run(dir: string, fullRefresh = false) {
  const config = readConfig(dir);
  const project = readProject(dir, config);
  const ids = [...project.nodes.keys()].filter((id) => id.startsWith('model.'));
  const results = await runModels(project, db, {
    select: ids,
    resolver: publishedResolver(createSchemas(config, prefix)),
    threads: 2,
    fullRefresh,
    log: silentLogger,
  });
  return Object.fromEntries(results.map((r) => [r.unique_id.split('.').pop()!, r]));
}

const columns = async (table: string) =>
  (
    await db.query<{ c: string; t: string }>(
      'SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [`${prefix}demo`, table],
    )
  ).map((r) => `${r.c} ${r.t.replace(/^(int|bigint)\(\d+\)$/, '$1')}`);

const model = (mode: string, key = "'id'") =>
  `{{ config(materialized='incremental', unique_key=${key}, on_schema_change='${mode}') }}select * from {{ ref('src') }}`;

test('on_schema_change: ignore, append_new_columns, sync_all_columns and fail, as dbt documents', async () => {
  const dir = writeProject({
    'pipeline.yml': 'name: demo\nschema: demo\n',
    'models/src.sql': "{{ config(materialized='table') }}select 1 as id, cast('a' as char(5)) as v, nullif(7, 0) as old_col",
    'models/ign.sql': model('ignore'),
    'models/app.sql': model('append_new_columns', "['id', 'v']"),
    'models/syn.sql': model('sync_all_columns'),
    'models/fl.sql': model('fail'),
  });
  const first = await run(dir);
  for (const m of ['ign', 'app', 'syn', 'fl']) assert.equal(first[m]!.status, 'success', first[m]!.message ?? '');
  writeFileSync(
    join(dir, 'models/src.sql'),
    "{{ config(materialized='table') }}select 2 as id, cast('bb' as char(10)) as v, 'x' as new_col",
  );
  const second = await run(dir);
  assert.deepEqual(await columns('ign'), ['id int', 'v varchar(5)', 'old_col int']);
  assert.deepEqual(await columns('app'), ['id int', 'v varchar(5)', 'old_col int', 'new_col varchar(1)']);
  assert.deepEqual(await columns('syn'), ['id int', 'v varchar(10)', 'new_col varchar(1)'], 'v widened, old_col dropped');
  assert.deepEqual(await db.query(`SELECT id, v, new_col FROM \`${prefix}demo\`.syn ORDER BY id`), [
    { id: 1, v: 'a', new_col: null },
    { id: 2, v: 'bb', new_col: 'x' },
  ]);
  assert.equal(second.ign!.status, 'success', second.ign!.message ?? '');
  assert.equal(second.app!.status, 'success', second.app!.message ?? '');
  assert.equal(second.fl!.status, 'error');
  assert.match(
    second.fl!.message ?? '',
    /columns of incremental model fl changed \(added: new_col; removed: old_col\).*on_schema_change is 'fail'/,
  );
  assert.deepEqual(await columns('fl'), ['id int', 'v varchar(5)', 'old_col int'], 'the failed model is left as it was');

  const refreshed = await run(dir, true);
  assert.equal(refreshed.fl!.status, 'success', 'a full refresh ignores on_schema_change');
  assert.deepEqual(await columns('fl'), ['id int', 'v varchar(10)', 'new_col varchar(1)']);
});

test('an unknown on_schema_change value is a project error', () => {
  const dir = writeProject({ 'pipeline.yml': 'name: demo\nschema: demo\n', 'models/m.sql': model('sometimes') });
  assert.throws(() => readProject(dir, readConfig(dir)), /on_schema_change' must be ignore, append_new_columns, sync_all_columns or fail/);
});
