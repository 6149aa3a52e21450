/**
 * dbt's hooks on the write-audit-publish fixture: on-run-start, each model's pre-hooks
 * (dbt_project.yml's, then the model's), the model, its post-hooks, on-run-end with `results` and
 * `schemas` — in that order, rendered at run time with `this`; a failing post-hook fails its model
 * (descendants skipped, nothing published), a failing on-run-start runs no node (on-run-end still runs).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { qualified } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { copyProject, editFile, execAll, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('hooks');
const dbPromise = openTestDb(2);
const env = { PIPELINE_SCHEMA_PREFIX: prefix };
const LOG = `${prefix}hooklog`;

before(async () => {
  await execAll(await dbPromise, STAGING_SQL(`${prefix}staging`));
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const log = (what: string) => `insert into \`${LOG}\`.log (what) values (${what})`;

function withHooks(dir: string, o: { badPost?: boolean; badStart?: boolean } = {}): void {
  editFile(
    dir,
    'pipeline.yml',
    (t) =>
      `${t.replace('    gold:\n', `    gold:\n      +pre-hook: "${log("'project pre {{ this.name }}'")}"\n`)}on-run-start:
  - "create database if not exists \`${LOG}\`"
  - "create table if not exists \`${LOG}\`.log (seq int auto_increment primary key, what varchar(300))"
  - "${o.badStart ? 'select * from no_such_table_anywhere' : log("'start'")}"
on-run-end: "${log(`concat('end ', '{{ results | length }}', ' ', '{{ schemas | join(\\",\\") }}')`)}"
`,
  );
  editFile(
    dir,
    'models/gold/contracts_by_type.sql',
    (t) =>
      `{{ config(pre_hook="${log("'model pre {{ this.name }}'").replaceAll('"', '\\"')}", post_hook=["${log(
        "'post 1 {{ this.schema }}'",
      )}", "${o.badPost ? 'insert into no_such_table values (1)' : log("'post 2'")}"]) }}\n${t}`,
  );
}

const logged = async () =>
  (await (await dbPromise).query<{ what: string }>(`SELECT what FROM ${qualified(LOG, 'log')} ORDER BY seq`)).map((r) => r.what);

test('hooks run in dbt order: on-run-start, pre-hooks (project, then model), the model, post-hooks, on-run-end', async () => {
  const dir = copyProject();
  withHooks(dir);
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rows = await logged();
  assert.deepEqual(rows.slice(0, 5), [
    'start',
    'project pre contracts_by_type',
    'model pre contracts_by_type',
    `post 1 ${prefix}gold__shadow`,
    'post 2',
  ]);
  assert.match(rows[5]!, new RegExp(`^end \\d+ ${prefix}gold__shadow,${prefix}seeds__shadow,${prefix}silver__shadow$`));
  const results = JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;
  assert.equal(results.results[0]?.unique_id, 'operation.wap.wap-on-run-start-0');
  assert.equal(results.results.at(-1)?.unique_id, 'operation.wap.wap-on-run-end-0');
  await (await dbPromise).exec(`DROP DATABASE \`${LOG}\``);
});

test('a failing post-hook fails its model and nothing is published; a failing on-run-start runs no node', async () => {
  const dir = copyProject();
  withHooks(dir, { badPost: true });
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(r.code, 1);
  const results = JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;
  const model = results.results.find((x) => x.unique_id === 'model.wap.contracts_by_type');
  assert.equal(model?.status, 'error');
  assert.match(model?.message ?? '', /post-hook of contracts_by_type #2 failed/);
  assert.equal(results.publish?.published, false);

  const start = copyProject();
  withHooks(start, { badStart: true });
  const s = await runPipelineInProcess(['build', '--project-dir', start, '--publish'], env);
  assert.equal(s.code, 1);
  const sr = JSON.parse(readFileSync(join(start, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;
  // dbt: the hooks after the failing one and every node are skipped; on-run-end still runs, with no results.
  const hooks = sr.results.filter((x) => x.unique_id.startsWith('operation.'));
  assert.deepEqual(
    hooks.map((x) => [x.unique_id, x.status]),
    [
      ['operation.wap.wap-on-run-start-0', 'success'],
      ['operation.wap.wap-on-run-start-1', 'success'],
      ['operation.wap.wap-on-run-start-2', 'error'],
      ['operation.wap.wap-on-run-end-0', 'success'],
    ],
  );
  const nodes = sr.results.filter((x) => !x.unique_id.startsWith('operation.'));
  assert.ok(nodes.length > 5);
  assert.deepEqual(new Set(nodes.map((x) => x.status)), new Set(['skipped']));
  assert.equal(sr.publish?.published, false);
  assert.deepEqual((await logged()).at(-1), 'end 0 ');
});
