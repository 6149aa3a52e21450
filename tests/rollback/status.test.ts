import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { qualified, type Db } from '../../actions/platform/db.ts';
import { ensureMetaSchema, RUNS_TABLE } from '../../actions/platform/meta.ts';
import { readRecentRuns, readRollbackStatus } from '../../actions/rollback/status.ts';
import { renderStatus } from '../../actions/rollback/render.ts';
import { withRetries } from '../../actions/rollback/rds-retry.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';
import { copyProject } from '../transform/wap-fixture.ts';
import { productionStandIn, SOURCE } from './fixtures.ts';

const prefix = testPrefix('rbstatus');
const meta = `${prefix}pipeline_meta`;
let db: Db;

before(async () => {
  db = await openTestDb(2);
  await ensureMetaSchema(db, meta);
  const insert = `INSERT INTO ${qualified(meta, RUNS_TABLE)} (run_id, command, status, started_at, finished_at, published_at, host, pid, connection_id)
    VALUES (?, ?, ?, ?, ?, ?, 'h', 1, 1)`;
  await db.exec(insert, ['r1', 'daily', 'success', '2026-02-04 10:53:12.000', '2026-02-04 11:05:00.000', '2026-02-04 11:04:59.000']);
  await db.exec(insert, ['r2', 'daily', 'error', '2026-02-05 09:00:00.000', '2026-02-05 09:01:00.000', null]);
  // Published, then failed afterwards (its report): the warehouse changed all the same.
  await db.exec(insert, ['r3', 'daily', 'error', '2026-02-05 10:53:40.000', '2026-02-05 11:02:00.000', '2026-02-05 11:01:58.000']);
  await db.exec(insert, ['r4', 'daily --dry-run', 'success', '2026-02-05 11:10:00.000', '2026-02-05 11:20:00.000', null]);
  await db.exec(insert, ['r5', 'test', 'success', '2026-02-05 11:30:00.000', '2026-02-05 11:31:00.000', null]);
  await db.exec(insert, [
    'r0',
    'build --publish',
    'success',
    '2026-01-20 08:00:00.000',
    '2026-01-20 08:10:00.000',
    '2026-01-20 08:09:00.000',
  ]);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('status offers a point just before each publish, in UTC, without dry runs, tests or runs that did not publish', async () => {
  const rds = productionStandIn();
  const status = await readRollbackStatus(withRetries(rds, { clock: rds.clock }), {
    cluster: SOURCE,
    runs: () => readRecentRuns(db, meta),
  });
  assert.equal(status.backupRetentionDays, 7);
  assert.deepEqual(
    status.restorePoints.map((p) => [p.time.toISOString(), p.run.runId, p.inWindow]),
    [
      ['2026-02-05T11:00:58.000Z', 'r3', true],
      ['2026-02-04T11:03:59.000Z', 'r1', true],
      ['2026-01-20T08:08:00.000Z', 'r0', false],
    ],
  );
  const text = renderStatus(status);
  assert.match(text, /restore window: {4}2026-01-29T12:00:00Z \.\. 2026-02-05T11:55:00Z \(UTC\)/);
  assert.match(text, /--to 2026-02-05T11:00:58Z {3}just before the daily run of 2026-02-05 10:53 UTC published \(2026-02-05 11:01 UTC\)\n/);
  assert.match(text, /2026-01-20T08:08:00Z .*\(outside the restore window\)/);
  assert.doesNotMatch(text, /dry-run|test run/);
});

test('status without a runs table says so instead of failing', async () => {
  const rds = productionStandIn();
  const status = await readRollbackStatus(withRetries(rds, { clock: rds.clock }), {
    cluster: SOURCE,
    runs: () => readRecentRuns(db, `${prefix}nometa`),
  });
  assert.equal(status.restorePoints.length, 0);
  assert.match(renderStatus(status), /none: the pipeline has not run against this database yet/);
});

test('the real daily records when it published; its dry run records nothing', async () => {
  const dir = copyProject();
  const p = `${prefix}d_`;
  const env = { PIPELINE_SCHEMA_PREFIX: p };
  const dump = join(ROOT, 'tests', 'fixtures', 'wap-dumps', 'gghouse_20260205.sql');
  const real = await runPipelineInProcess(['daily', '--dump', dump, '--project-dir', dir], env);
  assert.equal(real.code, 0, real.stderr);
  const dry = await runPipelineInProcess(['daily', '--dump', dump, '--project-dir', dir, '--dry-run'], env);
  assert.equal(dry.code, 0, dry.stderr);
  const rows = await db.query<{ command: string; published_at: unknown; started_at: unknown }>(
    `SELECT command, published_at, started_at FROM ${qualified(`${p}pipeline_meta`, RUNS_TABLE)} ORDER BY started_at`,
  );
  assert.deepEqual(
    rows.map((r) => [r.command, r.published_at !== null]),
    [
      ['daily', true],
      ['daily --dry-run', false],
    ],
  );
  const runs = await readRecentRuns(db, `${p}pipeline_meta`);
  assert.deepEqual(
    runs.map((r) => r.command),
    ['daily'],
  );
  assert.ok(runs[0]!.publishedAt! >= runs[0]!.startedAt);
});
