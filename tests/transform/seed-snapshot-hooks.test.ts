/**
 * pre-hook / post-hook on seeds and snapshots, run as dbt runs them: the project's (seeds: and
 * snapshots: trees) first, then the node's own, around the load or the snapshot, rendered when
 * they run with `this` the relation being built (the shadow's under build --publish); a failing
 * hook fails its node. A seed with hooks runs them every time, even when its content is unchanged.
 * Data tests take no hooks in dbt: a hook on one is warned about.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../../actions/platform/config.ts';
import { qualified } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { runtimeOf } from '../../actions/transform/project/project-runtime.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { copyProject, editFile, execAll, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('nodehooks');
const dbPromise = openTestDb(2);
const env = { PIPELINE_SCHEMA_PREFIX: prefix };
const LOG = `${prefix}hooklog`;

before(async () => {
  const db = await dbPromise;
  await execAll(db, STAGING_SQL(`${prefix}staging`));
  await db.exec(`CREATE DATABASE \`${LOG}\``);
  await db.exec(`CREATE TABLE ${qualified(LOG, 'log')} (seq INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(300))`);
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const log = (what: string) => `insert into \`${LOG}\`.log (what) values (${what})`;
/** A hook logging the rows of `this` (what the node just built). */
const countInto = (what: string) => `insert into \`${LOG}\`.log (what) select concat('${what} ', count(*)) from {{ this }}`;
const logged = async () => {
  const db = await dbPromise;
  const rows = (await db.query<{ what: string }>(`SELECT what FROM ${qualified(LOG, 'log')} ORDER BY seq`)).map((r) => r.what);
  await db.exec(`DELETE FROM ${qualified(LOG, 'log')}`);
  return rows;
};
const resultsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;

/** The fixture with hooks on its seed and on a snapshot, from the project's trees and the nodes' own configs. */
function withHooks(dir: string, o: { badSeedPost?: boolean; badSnapshotPost?: boolean } = {}): void {
  editFile(
    dir,
    'pipeline.yml',
    (t) =>
      `${t}  +post-hook: "${log("'project seed post {{ this.name }}'")}"
snapshots:
  wap:
    +pre-hook: "${log("'project snapshot pre {{ this.name }}'")}"
`,
  );
  editFile(dir, 'seeds/seeds.yml', (t) =>
    t.replace(
      '  - name: code_contract_type\n',
      `  - name: code_contract_type
    config:
      pre-hook: "${log("'seed pre {{ this.schema }}'")}"
      post-hook:
        - "${o.badSeedPost ? 'insert into no_such_table values (1)' : countInto('seed rows')}"
`,
    ),
  );
  mkdirSync(join(dir, 'snapshots'), { recursive: true });
  writeFileSync(
    join(dir, 'snapshots', 'movings.sql'),
    `{% snapshot snap_movings %}
{{ config(schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at',
          pre_hook="${log("'snapshot pre {{ this.schema }}'")}",
          post_hook="${o.badSnapshotPost ? 'update no_such_table set x = 1' : countInto('snapshot versions')}") }}
select id, rent, updated_at from {{ source('staging', 'movings') }}
{% endsnapshot %}
`,
  );
}

test('seed and snapshot hooks run in dbt order around their node, on the shadow under build --publish, every run', async () => {
  const dir = copyProject();
  withHooks(dir);
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rows = await logged();
  const seed = rows.filter((w) => w.includes('seed'));
  assert.deepEqual(seed, [`seed pre ${prefix}seeds__shadow`, 'project seed post code_contract_type', 'seed rows 3']);
  assert.deepEqual(
    rows.filter((w) => w.includes('snapshot')),
    ['project snapshot pre snap_movings', `snapshot pre ${prefix}snapshots__shadow`, 'snapshot versions 5'],
  );
  // The next run: the seed's content is unchanged, but a seed with hooks is loaded again, into the
  // shadow, and its hooks run again (dbt runs them every time); nothing published changed before.
  const again = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(
    (await logged()).filter((w) => w.includes('seed')),
    seed,
  );
  const seedResult = resultsOf(dir).results.find((x) => x.unique_id === 'seed.wap.code_contract_type');
  assert.equal(seedResult?.relation, `${prefix}seeds__shadow.code_contract_type`);
  assert.equal(resultsOf(dir).publish?.published, true);
});

test('a failing seed post-hook fails the seed (its descendants skipped, nothing published); a failing snapshot post-hook fails the snapshot', async () => {
  const db = await dbPromise;
  const published = async () =>
    Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${prefix}snapshots\`.snap_movings`))[0]?.n);
  const before = await published();
  await db.exec(`UPDATE \`${prefix}staging\`.movings SET rent = 1, updated_at = '2026-03-01 00:00:00' WHERE id = 1`);
  try {
    const dir = copyProject();
    withHooks(dir, { badSeedPost: true });
    const r = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
    assert.equal(r.code, 1);
    const results = resultsOf(dir).results;
    const seed = results.find((x) => x.unique_id === 'seed.wap.code_contract_type');
    assert.equal(seed?.status, 'error');
    assert.match(
      seed?.message ?? '',
      /^seed code_contract_type \(seeds\/code_contract_type\.csv\) failed: post-hook of code_contract_type #2 failed: .*no_such_table.* To fix this, correct the hook\.$/s,
    );
    assert.equal(results.find((x) => x.unique_id === 'model.wap.int_contracts')?.status, 'skipped');
    assert.equal(resultsOf(dir).publish?.published, false);
    assert.equal(await published(), before, 'nothing published: the history is as it was');

    const snap = copyProject();
    withHooks(snap, { badSnapshotPost: true });
    const s = await runPipelineInProcess(['build', '--project-dir', snap, '--publish'], env);
    assert.equal(s.code, 1);
    const sr = resultsOf(snap).results.find((x) => x.unique_id === 'snapshot.wap.snap_movings');
    assert.equal(sr?.status, 'error');
    assert.match(sr?.message ?? '', /post-hook of snap_movings #1 failed/);
    assert.equal(await published(), before);
  } finally {
    await db.exec(`UPDATE \`${prefix}staging\`.movings SET rent = 50000, updated_at = '2026-02-04 10:00:00' WHERE id = 1`);
    await logged();
  }
});

test('pipeline seed runs a seed between its hooks, also when its content is unchanged', async () => {
  const dir = copyProject();
  withHooks(dir);
  for (const [run, extra] of [
    ['reloaded', ['--full-refresh']],
    ['unchanged', []],
  ] as const) {
    const r = await runPipelineInProcess(['seed', '--project-dir', dir, ...extra], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const message = resultsOf(dir).results.find((x) => x.unique_id === 'seed.wap.code_contract_type')?.message ?? '';
    assert.match(message, run === 'unchanged' ? /^unchanged/ : /^INSERT 3$/);
    assert.deepEqual(await logged(), [`seed pre ${prefix}seeds`, 'project seed post code_contract_type', 'seed rows 3'], `${run} run`);
  }
});

test('a hook on a data test is warned about (dbt runs none), from its config and from the tests: tree', () => {
  const dir = copyProject();
  editFile(dir, 'pipeline.yml', (t) => `${t}tests:\n  wap:\n    +post-hook: "select 1"\n`);
  editFile(dir, 'models/gold/gold.yml', (t) =>
    t.replace(
      'tests: [unique, not_null]',
      'tests:\n          - unique:\n              config:\n                pre-hook: "select 1"\n          - not_null',
    ),
  );
  const project = readProject(dir, readConfig(dir));
  const hooks = runtimeOf(project).warnings.filter((w) => /hook/.test(w.message));
  assert.deepEqual(
    hooks.map((w) => w.message),
    [
      'tests.wap.+post-hook is not run: dbt runs no hooks on data tests (on-run-end runs after them all). To fix this, remove it.',
      'test unique_contracts_by_type_tenant_type: its pre-hook is not run: dbt runs no hooks on data tests (on-run-end runs after them all). To fix this, remove it.',
    ],
  );
  assert.equal(hooks[0]?.location?.file, join(dir, 'pipeline.yml'));
});
