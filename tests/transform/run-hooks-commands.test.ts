/**
 * on-run-start / on-run-end in `pipeline run`, `pipeline seed` and `pipeline snapshot`, as dbt runs
 * them in every command that builds: the start hooks before the first node, the end hooks after
 * the last with `results` and `schemas`, each hook a result of its own; a failing start hook skips
 * the hooks after it and every node (nothing is built), and on-run-end still runs, with no results.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { qualified } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { copyProject, editFile, execAll, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('runhookcmd');
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

const insert = (what: string) => `insert into \`${LOG}\`.log (what) values ('${what}')`;

/**
 * The fixture with an audit table written by the run hooks (created by the first two start
 * hooks), a post-hook on every model, seed and snapshot, and a snapshot of staging's movings.
 */
function hookedProject(o: { badStart?: boolean } = {}): string {
  const dir = copyProject();
  const block = (sql: string, indent: string) => `|\n${indent}${sql}\n`;
  const nodeHook = `    +post-hook: ${block(insert('node {{ this.name }}'), '      ')}`;
  editFile(dir, 'pipeline.yml', (t) => {
    const withNodeHooks = t
      .replace('models:\n  wap:\n', `models:\n  wap:\n${nodeHook}`)
      .replace('seeds:\n  wap:\n', `seeds:\n  wap:\n${nodeHook}`);
    return `${withNodeHooks}snapshots:
  wap:
${nodeHook}on-run-start:
  - ${block(`create database if not exists \`${LOG}\``, '    ')}  - ${block(
    `create table if not exists \`${LOG}\`.log (seq int auto_increment primary key, what varchar(300))`,
    '    ',
  )}  - ${block(o.badStart ? `select * from \`${LOG}\`.no_such_table_anywhere` : insert('start'), '    ')}  - ${block(insert('start 2'), '    ')}on-run-end:
  - ${block(insert('end {{ results | length }} {% for r in results %}{{ r.node.name }}:{{ r.status }} {% endfor %}| {{ schemas | join(",") }}'), '    ')}`;
  });
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  writeFileSync(
    join(dir, 'snapshots', 'movings.sql'),
    `{% snapshot snap_movings %}
{{ config(schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select id, rent, updated_at from {{ source('staging', 'movings') }}
{% endsnapshot %}
`,
  );
  return dir;
}

const logged = async () => {
  const db = await dbPromise;
  const rows = (await db.query<{ what: string }>(`SELECT what FROM ${qualified(LOG, 'log')} ORDER BY seq`)).map((r) => r.what);
  await db.exec(`DELETE FROM ${qualified(LOG, 'log')}`);
  return rows;
};

const exists = async (schema: string, table: string) => {
  const [row] = await (await dbPromise).query<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table],
  );
  return Number(row?.n) === 1;
};

/** The hooks' results and the node's, in run_results order (source checks left out). */
const statuses = (dir: string, nodeId: string) =>
  (JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults).results
    .filter((r) => r.unique_id.startsWith('operation.') || r.unique_id === nodeId)
    .map((r) => `${r.unique_id.replace('operation.wap.wap-', '')} ${r.status}`);

/** Each command, with what on-run-end's `results` hold after it (`snapshot` runs as build: its source's checks first). */
const COMMANDS = [
  {
    command: ['run', '--select', 'stg_movings'],
    id: 'model.wap.stg_movings',
    name: 'stg_movings',
    schema: 'silver',
    ran: 'stg_movings:success',
  },
  { command: ['seed'], id: 'seed.wap.code_contract_type', name: 'code_contract_type', schema: 'seeds', ran: 'code_contract_type:success' },
  {
    command: ['snapshot'],
    id: 'snapshot.wap.snap_movings',
    name: 'snap_movings',
    schema: 'snapshots',
    ran: [...['exists', 'not_empty', 'freshness'].map((c) => `source_check.${c}.wap.staging.movings:pass`), 'snap_movings:success'].join(
      ' ',
    ),
  },
] as const;

for (const c of COMMANDS) {
  test(`pipeline ${c.command[0]}: a failing on-run-start builds nothing and skips the hooks after it; on-run-end still runs`, async () => {
    const dir = hookedProject({ badStart: true });
    const r = await runPipelineInProcess([...c.command, '--project-dir', dir], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, /on-run-start hook #3 failed: .*no_such_table_anywhere.* To fix this, correct the hook in /s);
    assert.deepEqual(statuses(dir, c.id), [
      'on-run-start-0 success',
      'on-run-start-1 success',
      'on-run-start-2 error',
      'on-run-start-3 skipped',
      `${c.id} skipped`,
      'on-run-end-0 success',
    ]);
    assert.deepEqual(await logged(), ['end 0 | ']);
    assert.equal(await exists(`${prefix}${c.schema}`, c.name), false, 'the node was not built');
  });

  test(`pipeline ${c.command[0]}: on-run-start before the first node, on-run-end after the last with results and schemas`, async () => {
    const dir = hookedProject();
    const r = await runPipelineInProcess([...c.command, '--project-dir', dir], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(await logged(), [
      'start',
      'start 2',
      `node ${c.name}`,
      `end ${c.ran.split(' ').length} ${c.ran} | ${prefix}${c.schema}`,
    ]);
    assert.deepEqual(statuses(dir, c.id), [
      'on-run-start-0 success',
      'on-run-start-1 success',
      'on-run-start-2 success',
      'on-run-start-3 success',
      `${c.id} success`,
      'on-run-end-0 success',
    ]);
    assert.equal(await exists(`${prefix}${c.schema}`, c.name), true);
  });
}

test('a failing on-run-end fails the run (exit 1) after every node was built; hooks read unqualified tables in the target schema', async () => {
  await (await dbPromise).exec(`CREATE DATABASE IF NOT EXISTS \`${prefix}gold\``);
  const dir = hookedProject();
  editFile(dir, 'pipeline.yml', (t) => `${t}  - "create table if not exists end_marker (x int)"\n  - "update no_such_table set x = 1"\n`);
  const r = await runPipelineInProcess(['seed', '--project-dir', dir], env);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(statuses(dir, 'seed.wap.code_contract_type').slice(-4), [
    'seed.wap.code_contract_type success',
    'on-run-end-0 success',
    'on-run-end-1 success',
    'on-run-end-2 error',
  ]);
  assert.equal((await logged()).at(-1), `end 1 code_contract_type:success | ${prefix}seeds`);
  assert.equal(await exists(`${prefix}gold`, 'end_marker'), true, "the project's target schema (schema: gold) is selected");
});

test("pipeline run builds no snapshot, even selected (dbt's run builds models only): on-run-end sees the model alone", async () => {
  const dir = hookedProject();
  const r = await runPipelineInProcess(['run', '--select', 'stg_movings snap_movings', '--project-dir', dir], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(statuses(dir, 'snapshot.wap.snap_movings').filter((x) => !x.startsWith('on-run')).length, 0);
  assert.equal((await logged()).at(-1), `end 1 stg_movings:success | ${prefix}silver`);
});
