/**
 * `pipeline snapshot` on a project whose snapshots live where its `snapshot-paths` says (not
 * snapshots/): the snapshot is built on the server, and the tests of its property file, read from
 * the same folder, run after it.
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

const prefix = testPrefix('snappaths');
const dbPromise = openTestDb(2);

before(async () => {
  await execAll(await dbPromise, STAGING_SQL(`${prefix}staging`));
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('pipeline snapshot builds the snapshots of snapshot-paths and runs the tests of their property files', async () => {
  const dir = copyProject();
  editFile(dir, 'pipeline.yml', (t) => `${t}snapshot-paths: [history]\n`);
  mkdirSync(join(dir, 'history'));
  writeFileSync(
    join(dir, 'history', 'movings.sql'),
    `{% snapshot snap_movings %}
{{ config(schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select id, rent, updated_at from {{ source('staging', 'movings') }}
{% endsnapshot %}
`,
  );
  writeFileSync(
    join(dir, 'history', 'movings.yml'),
    'version: 2\nsnapshots:\n  - name: snap_movings\n    columns:\n      - name: rent\n        data_tests: [not_null]\n',
  );
  const r = await runPipelineInProcess(['snapshot', '--project-dir', dir], { PIPELINE_SCHEMA_PREFIX: prefix });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const [row] = await (await dbPromise).query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ${qualified(`${prefix}snapshots`, 'snap_movings')}`,
  );
  assert.equal(Number(row?.n), 5);
  const results = (JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults).results;
  assert.deepEqual(
    results.filter((x) => !x.unique_id.startsWith('source_check.')).map((x) => [x.unique_id.replace(/\.[0-9a-f]{10}$/, ''), x.status]),
    [
      ['snapshot.wap.snap_movings', 'success'],
      ['test.wap.not_null_snap_movings_rent', 'pass'],
    ],
  );
});
