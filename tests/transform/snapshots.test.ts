/**
 * dbt snapshots (snapshot.ts): `{% snapshot %}` blocks in snapshots/, timestamp and check
 * strategies with a composite unique_key, hard deletes ignored or invalidated, meta column names,
 * and a rerun on the same data that adds nothing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../../actions/platform/config.ts';
import type { Db } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { buildManifest } from '../../actions/transform/project/artifacts.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { selectNodes } from '../../actions/transform/project/selection.ts';
import { publishedResolver } from '../../actions/transform/project/resolver.ts';
import { runModels } from '../../actions/transform/run-models.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { writeProject } from '../helpers/temp-project.ts';
import { copyProject, editFile, execAll, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('snap');
let db: Db;
before(async () => (db = await openTestDb(4)));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

async function run(dir: string) {
  const config = readConfig(dir);
  const project = readProject(dir, config);
  const ids = [...project.nodes.keys()].filter((id) => id.startsWith('model.') || id.startsWith('snapshot.'));
  const results = await runModels(project, db, {
    select: ids,
    resolver: publishedResolver(createSchemas(config, prefix)),
    threads: 1,
    log: silentLogger,
  });
  return Object.fromEntries(results.map((r) => [r.unique_id, r]));
}

const SRC = (rows: string) => `{{ config(materialized='table') }}\n${rows}`;
const row = (a: number, b: string, rent: number, at: string) =>
  `select ${a} as area, '${b}' as room, ${rent} as rent, cast('${at}' as datetime) as updated_at`;

const SNAPSHOTS = `{% snapshot snap_ts %}
{{ config(schema='snapshots', unique_key=['area', 'room'], strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select * from {{ ref('rooms') }}
{% endsnapshot %}

{% snapshot snap_check %}
{{ config(schema='snapshots', unique_key='room', strategy='check', check_cols=['rent'],
          snapshot_meta_column_names={'dbt_valid_from': 'valid_from', 'dbt_valid_to': 'valid_to'}) }}
select room, rent from {{ ref('rooms') }}
{% endsnapshot %}
`;

const history = async (table: string, cols: string) => db.query(`SELECT ${cols} FROM \`${prefix}snapshots\`.${table} ORDER BY 1, 2, 3`);

test('snapshots keep history: timestamp and check strategies, composite key, invalidated deletes, reruns add nothing', async () => {
  const dir = writeProject({
    'pipeline.yml': 'name: demo\nschema: demo\n',
    'models/rooms.sql': SRC(`${row(1, 'a', 100, '2026-01-01')} union all ${row(1, 'b', 200, '2026-01-01')}`),
    'snapshots/rooms.sql': SNAPSHOTS,
  });
  const project = readProject(dir, readConfig(dir));
  assert.equal(buildManifest(project).nodes['snapshot.demo.snap_ts']?.resource_type, 'snapshot');
  assert.deepEqual(selectNodes(project, { select: 'resource_type:snapshot' }).ids, ['snapshot.demo.snap_check', 'snapshot.demo.snap_ts']);
  const r1 = await run(dir);
  assert.equal(r1['snapshot.demo.snap_ts']?.status, 'success', r1['snapshot.demo.snap_ts']?.message ?? '');
  assert.equal(r1['snapshot.demo.snap_check']?.status, 'success', r1['snapshot.demo.snap_check']?.message ?? '');
  // Day 2: a's rent changes (newer updated_at), b is gone.
  writeFileSync(join(dir, 'models/rooms.sql'), SRC(row(1, 'a', 150, '2026-01-02')));
  const r2 = await run(dir);
  assert.equal(r2['snapshot.demo.snap_ts']?.status, 'success', r2['snapshot.demo.snap_ts']?.message ?? '');
  await run(dir); // the same data again: nothing changes
  const ts = await history('snap_ts', 'room, rent, dbt_valid_from, dbt_valid_to IS NULL AS current, LENGTH(dbt_scd_id) AS id_len');
  assert.deepEqual(
    ts.map((r) => [r.room, r.rent, String(r.dbt_valid_from).slice(0, 10), Number(r.current), Number(r.id_len)]),
    [
      ['a', 100, '2026-01-01', 0, 32],
      ['a', 150, '2026-01-02', 1, 32],
      ['b', 200, '2026-01-01', 0, 32],
    ],
  );
  const [closed] = await db.query<{ t: string }>(
    `SELECT dbt_valid_to AS t FROM \`${prefix}snapshots\`.snap_ts WHERE room = 'a' AND rent = 100`,
  );
  assert.equal(String(closed?.t).slice(0, 10), '2026-01-02', 'closed at the new version time');
  const check = await history('snap_check', 'room, rent, valid_to IS NULL AS current');
  assert.deepEqual(
    check.map((r) => [r.room, r.rent, Number(r.current)]),
    [
      ['a', 100, 0],
      ['a', 150, 1],
      ['b', 200, 1],
    ],
    'check strategy: a new version when rent differs; b stays current (hard deletes ignored by default)',
  );
});

test('under build --publish a snapshot is built beside the published one and swapped with the rest; a failed run leaves history as it was', async () => {
  const wapPrefix = testPrefix('snapwap');
  const env = { PIPELINE_SCHEMA_PREFIX: wapPrefix };
  await execAll(db, STAGING_SQL(`${wapPrefix}staging`));
  const dir = copyProject();
  mkdirSync(join(dir, 'snapshots'));
  writeFileSync(
    join(dir, 'snapshots', 'movings.sql'),
    `{% snapshot snap_movings %}
{{ config(schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at') }}
select id, rent, updated_at from {{ source('staging', 'movings') }}
{% endsnapshot %}
`,
  );
  const count = async () => {
    const [r] = await db.query<{ n: number; current: number }>(
      `SELECT COUNT(*) AS n, SUM(dbt_valid_to IS NULL) AS current FROM \`${wapPrefix}snapshots\`.snap_movings`,
    );
    return { n: Number(r?.n), current: Number(r?.current) };
  };
  try {
    const first = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.deepEqual(await count(), { n: 5, current: 5 });
    // The next day: a rent changes, and a model breaks: nothing is published, the history stays.
    await db.exec(`UPDATE \`${wapPrefix}staging\`.movings SET rent = 99000, updated_at = '2026-02-05 09:00:00' WHERE id = 2`);
    editFile(dir, 'models/gold/contracts_by_type.sql', (t) => t.replace('count(*)', 'count(no_such_column)'));
    const failed = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
    assert.equal(failed.code, 1);
    assert.deepEqual(await count(), { n: 5, current: 5 }, 'a failed run leaves the history as it was');
    editFile(dir, 'models/gold/contracts_by_type.sql', (t) => t.replace('count(no_such_column)', 'count(*)'));
    const fixed = await runPipelineInProcess(['build', '--project-dir', dir, '--publish'], env);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.deepEqual(await count(), { n: 6, current: 5 });
    // `pipeline snapshot` runs the snapshots only.
    const again = await runPipelineInProcess(['snapshot', '--project-dir', dir, '--publish'], env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const ran = (JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults).results.map(
      (r) => r.unique_id,
    );
    assert.deepEqual(
      ran.filter((id) => !id.startsWith('source_check.')),
      ['snapshot.wap.snap_movings'],
      'the snapshot (after the checks of the source it reads), nothing else',
    );
    assert.deepEqual(await count(), { n: 6, current: 5 }, 'rerunning the same data adds nothing');
  } finally {
    await dropSchemasWithPrefix(db, wapPrefix);
  }
});

test('a YAML-defined snapshot (dbt 1.9: name, relation, config) builds like a snapshot block', async () => {
  const dir = writeProject({
    'pipeline.yml': 'name: demo\nschema: demo\n',
    'models/rooms.sql': SRC(row(1, 'a', 100, '2026-01-01')),
    'models/snapshots.yml': `version: 2
snapshots:
  - name: snap_yaml
    relation: ref('rooms')
    config:
      schema: snapshots
      unique_key: [area, room]
      strategy: timestamp
      updated_at: updated_at
`,
  });
  await run(dir);
  writeFileSync(join(dir, 'models/rooms.sql'), SRC(row(1, 'a', 120, '2026-01-03')));
  const r = await run(dir);
  assert.equal(r['snapshot.demo.snap_yaml']?.status, 'success', r['snapshot.demo.snap_yaml']?.message ?? '');
  const versions = await history('snap_yaml', 'room, rent, dbt_valid_to IS NULL AS current');
  assert.deepEqual(
    versions.map((v) => [v.room, v.rent, Number(v.current)]),
    [
      ['a', 100, 0],
      ['a', 120, 1],
    ],
  );
});
