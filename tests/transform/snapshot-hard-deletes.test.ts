/**
 * Snapshots with `hard_deletes: new_record` (dbt 1.9, snapshot.ts): a vanished key's version is
 * closed and a deleted version ('True', the last values, valid from the snapshot time) opened;
 * a key that comes back closes its deleted version and opens a new one; ordinary versions carry
 * 'False'; reruns on the same data add nothing. Both strategies, the column's name overridden
 * through snapshot_meta_column_names, a snapshot switched to new_record, and the
 * write-audit-publish flow (carried into the shadow, swapped with the rest, a failed run leaves
 * the history as it was).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readConfig } from '../../actions/platform/config.ts';
import type { Db } from '../../actions/platform/db.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { publishedResolver } from '../../actions/transform/project/resolver.ts';
import { runModels } from '../../actions/transform/run-models.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { writeProject } from '../helpers/temp-project.ts';
import { copyProject, editFile, execAll, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('snapdel');
let db: Db;
before(async () => (db = await openTestDb(4)));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

/** The snapshots' clock is the `snap_at` var, so every version's time is known. */
const CLOCK = `{% macro snapshot_get_time() -%} CAST('{{ var("snap_at") }}' AS DATETIME) {%- endmacro %}`;
const config = (day: string) => `name: demo\nschema: demo\nvars:\n  snap_at: '${day}'\n`;
const rooms = (rows: [string, number, string][]) =>
  `{{ config(materialized='table') }}\n${rows
    .map(([room, rent, at]) => `select '${room}' as room, ${rent} as rent, cast('${at}' as datetime) as updated_at`)
    .join(' union all ')}`;

const SNAPSHOTS = `{% snapshot snap_check %}
{{ config(schema='snapshots', unique_key='room', strategy='check', check_cols=['rent'], hard_deletes='new_record',
          snapshot_meta_column_names={'dbt_is_deleted': 'is_deleted'}) }}
select room, rent from {{ ref('rooms') }}
{% endsnapshot %}

{% snapshot snap_ts %}
{{ config(schema='snapshots', unique_key='room', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record') }}
select * from {{ ref('rooms') }}
{% endsnapshot %}
`;

async function runDay(dir: string, day: string, rows: [string, number, string][]) {
  writeFileSync(join(dir, 'pipeline.yml'), config(day));
  writeFileSync(join(dir, 'models/rooms.sql'), rooms(rows));
  const cfg = readConfig(dir);
  const project = readProject(dir, cfg);
  const ids = [...project.nodes.keys()].filter((id) => id.startsWith('model.') || id.startsWith('snapshot.'));
  const results = await runModels(project, db, {
    select: ids,
    resolver: publishedResolver(createSchemas(cfg, prefix)),
    threads: 1,
    log: silentLogger,
  });
  for (const r of results) assert.equal(r.status, 'success', r.message ?? '');
  return Object.fromEntries(results.map((r) => [r.unique_id, r]));
}

const day = (v: unknown) => (v === null ? null : new Date(v as Date).toISOString().slice(0, 10));

async function versions(table: string, deletedColumn: string) {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT room, rent, dbt_valid_from AS f, dbt_valid_to AS t, \`${deletedColumn}\` AS d FROM \`${prefix}snapshots\`.${table} ORDER BY room, dbt_valid_from, d`,
  );
  return rows.map((r) => [r.room, r.rent, day(r.f), day(r.t), r.d]);
}

/** The history both strategies keep for the story below (the timestamp one's times are the rows' updated_at, equal here). */
const EXPECTED = [
  ['a', 100, '2026-01-01', null, 'False'],
  ['b', 200, '2026-01-01', '2026-01-02', 'False'],
  ['b', 200, '2026-01-02', '2026-01-03', 'True'],
  ['b', 250, '2026-01-03', null, 'False'],
  ['c', 300, '2026-01-01', '2026-01-03', 'False'],
  ['c', 300, '2026-01-03', null, 'True'],
];

test('new_record: a deleted version when a key vanishes, closed when it comes back; reruns add nothing (check and timestamp)', async () => {
  const dir = writeProject({
    'pipeline.yml': config('2026-01-01'),
    'macros/clock.sql': CLOCK,
    'models/rooms.sql': rooms([]),
    'snapshots/rooms.sql': SNAPSHOTS,
  });
  const d1: [string, number, string][] = [
    ['a', 100, '2026-01-01'],
    ['b', 200, '2026-01-01'],
    ['c', 300, '2026-01-01'],
  ];
  const d2 = d1.filter(([room]) => room !== 'b');
  const d3: [string, number, string][] = [
    ['a', 100, '2026-01-01'],
    ['b', 250, '2026-01-03'],
  ];
  await runDay(dir, '2026-01-01', d1);
  assert.deepEqual(await versions('snap_check', 'is_deleted'), [
    ['a', 100, '2026-01-01', null, 'False'],
    ['b', 200, '2026-01-01', null, 'False'],
    ['c', 300, '2026-01-01', null, 'False'],
  ]);
  const r2 = await runDay(dir, '2026-01-02', d2);
  assert.deepEqual(r2['snapshot.demo.snap_ts']?.adapter_response, {
    rows_affected: 1,
    versions_opened: 1,
    versions_closed: 1,
    versions_deleted: 1,
  });
  const afterDelete = await versions('snap_check', 'is_deleted');
  assert.deepEqual(afterDelete, [
    ['a', 100, '2026-01-01', null, 'False'],
    ['b', 200, '2026-01-01', '2026-01-02', 'False'],
    ['b', 200, '2026-01-02', null, 'True'],
    ['c', 300, '2026-01-01', null, 'False'],
  ]);
  const again = await runDay(dir, '2026-01-02', d2);
  assert.match(again['snapshot.demo.snap_check']?.message ?? '', /^SNAPSHOT 0 new version\(s\), 0 closed$/);
  assert.deepEqual(await versions('snap_check', 'is_deleted'), afterDelete, 'a rerun adds no second deleted version');
  await runDay(dir, '2026-01-03', d3); // b comes back with a new rent, c vanishes
  await runDay(dir, '2026-01-03', d3);
  assert.deepEqual(await versions('snap_check', 'is_deleted'), EXPECTED);
  assert.deepEqual(await versions('snap_ts', 'dbt_is_deleted'), EXPECTED);
  const [ids] = await db.query<{ n: number; distinct_ids: number; stamped: number }>(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT dbt_scd_id) AS distinct_ids,
            SUM(dbt_is_deleted = 'False' OR dbt_updated_at = dbt_valid_from) AS stamped FROM \`${prefix}snapshots\`.snap_ts`,
  );
  assert.deepEqual(
    [Number(ids?.n), Number(ids?.distinct_ids), Number(ids?.stamped)],
    [6, 6, 6],
    'every version has its own scd_id; a deleted version is stamped at the snapshot time',
  );
});

test('a snapshot switched to new_record gets the column: its versions so far carry False', async () => {
  const snap = (hard: string) => `{% snapshot snap_switch %}
{{ config(schema='snapshots', unique_key='room', strategy='check', check_cols='all', hard_deletes='${hard}') }}
select room, rent from {{ ref('rooms') }}
{% endsnapshot %}`;
  const dir = writeProject({
    'pipeline.yml': config('2026-01-01'),
    'macros/clock.sql': CLOCK,
    'models/rooms.sql': rooms([]),
    'snapshots/switch.sql': snap('ignore'),
  });
  await runDay(dir, '2026-01-01', [
    ['a', 100, '2026-01-01'],
    ['b', 200, '2026-01-01'],
  ]);
  writeFileSync(join(dir, 'snapshots/switch.sql'), snap('new_record'));
  await runDay(dir, '2026-01-02', [['a', 100, '2026-01-01']]);
  assert.deepEqual(await versions('snap_switch', 'dbt_is_deleted'), [
    ['a', 100, '2026-01-01', null, 'False'],
    ['b', 200, '2026-01-01', '2026-01-02', 'False'],
    ['b', 200, '2026-01-02', null, 'True'],
  ]);
});

test('new_record under build --publish: carried into the shadow, swapped with the rest; a failed run leaves the history as it was', async () => {
  const wapPrefix = testPrefix('snapdelwap');
  const env = { PIPELINE_SCHEMA_PREFIX: wapPrefix };
  await execAll(db, STAGING_SQL(`${wapPrefix}staging`));
  const dir = copyProject();
  mkdirSync(join(dir, 'snapshots'));
  writeFileSync(
    join(dir, 'snapshots', 'movings.sql'),
    `{% snapshot snap_movings %}
{{ config(schema='snapshots', unique_key='id', strategy='check', check_cols=['rent'], hard_deletes='new_record') }}
select id, rent from {{ source('staging', 'movings') }}
{% endsnapshot %}
`,
  );
  const build = async (command = 'build') => {
    const r = await runPipelineInProcess([command, '--project-dir', dir, '--publish'], env);
    return { code: r.code, out: r.stdout + r.stderr };
  };
  const history = async () =>
    (
      await db.query<{ id: number; current: number; d: string }>(
        `SELECT id, dbt_valid_to IS NULL AS current, dbt_is_deleted AS d FROM \`${wapPrefix}snapshots\`.snap_movings ORDER BY id, dbt_valid_from, current, d`,
      )
    ).map((r) => `${r.id}${Number(r.current) ? '*' : ''}${r.d === 'True' ? 'D' : ''}`);
  try {
    const first = await build();
    assert.equal(first.code, 0, first.out);
    assert.deepEqual(await history(), ['1*', '2*', '3*', '4*', '5*']);
    // The next day contract 3 is gone, and a model breaks: nothing is published.
    await db.exec(`DELETE FROM \`${wapPrefix}staging\`.movings WHERE id = 3`);
    editFile(dir, 'models/gold/contracts_by_type.sql', (t) => t.replace('count(*)', 'count(no_such_column)'));
    assert.equal((await build()).code, 1);
    assert.deepEqual(await history(), ['1*', '2*', '3*', '4*', '5*'], 'a failed run leaves the history as it was');
    editFile(dir, 'models/gold/contracts_by_type.sql', (t) => t.replace('count(no_such_column)', 'count(*)'));
    const fixed = await build();
    assert.equal(fixed.code, 0, fixed.out);
    const deleted = ['1*', '2*', '3', '3*D', '4*', '5*'];
    assert.deepEqual(await history(), deleted);
    const rerun = await build('snapshot');
    assert.equal(rerun.code, 0, rerun.out);
    assert.deepEqual(await history(), deleted, 'rerunning the same data adds nothing');
    // Contract 3 comes back: its deleted version is closed, a new current one opened.
    await db.exec(`INSERT INTO \`${wapPrefix}staging\`.movings VALUES (3, 12, 3, 55000, '2026-02-01', 0, '2026-02-04 12:00:00')`);
    const back = await build();
    assert.equal(back.code, 0, back.out);
    assert.deepEqual(await history(), ['1*', '2*', '3', '3D', '3*', '4*', '5*']);
    assert.equal((await build('snapshot')).code, 0);
    assert.deepEqual(await history(), ['1*', '2*', '3', '3D', '3*', '4*', '5*']);
  } finally {
    await dropSchemasWithPrefix(db, wapPrefix);
  }
});
