/**
 * The run history on a real server: what `daily` records at its end (platform/run-history.ts)
 * read back for the site, and a snapshot's versions per day from synthetic snapshot rows
 * (the project has no snapshot yet).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import type { NodeResult, TableCount } from '../../actions/platform/run-results.ts';
import { recordRunHistory } from '../../actions/platform/run-history.ts';
import { latestCounts, readHistory, readSnapshotDays } from '../../actions/docs/history.ts';
import { ensureMetaSchema } from '../../actions/platform/meta.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';

const prefix = testPrefix('dochist');
const meta = `${prefix}pipeline_meta`;
let db: Db;

const result = (unique_id: string, status: NodeResult['status'], extra: Partial<NodeResult> = {}): NodeResult => ({
  unique_id,
  status,
  timing: [],
  execution_time: 0.1,
  message: status === 'fail' ? 'x'.repeat(2000) : null,
  failures: status === 'fail' ? 3 : 0,
  adapter_response: {},
  ...extra,
});
const count = (table: string, rows: number): TableCount => ({
  schema: `${prefix}gold`,
  layer: 'gold',
  table,
  rows,
  previousRows: null,
  kind: 'table',
});

before(async () => {
  db = await openTestDb(2);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('a metadata schema with nothing recorded gives an empty history', async () => {
  const h = await readHistory(db, `${prefix}nothing_here`);
  assert.deepEqual(h.runs, []);
});

test('the runs, row counts, test results and freshness recorded by runs are read back oldest first', async () => {
  await ensureMetaSchema(db, meta);
  for (let i = 0; i < 3; i++) {
    const id = `run-${i}`;
    await db.exec(
      `INSERT INTO ${qualified(meta, 'runs')} (run_id, command, status, started_at, host, pid, connection_id) VALUES (?, 'daily', ?, ?, 'h', 1, 1)`,
      [id, i === 1 ? 'error' : 'success', `2026-12-0${i + 1} 01:00:00`],
    );
    await recordRunHistory(db, meta, id, {
      results: [
        result('test.p.not_null_facts_id.abc', i === 1 ? 'fail' : 'pass'),
        result('model.p.facts', 'success'),
        result('source_check.freshness.p.raw.facts', 'pass', {
          samples: [{ max_loaded_at: `2026-12-0${i + 1} 00:00:00`, age_seconds: 3600 * (i + 1), as_of: 'x' }],
        }),
      ],
      // A run that published nothing records no counts.
      tables: i === 1 ? [] : [count('facts', 100 + i)],
    });
  }
  // Recording a run twice keeps one row per node.
  await recordRunHistory(db, meta, 'run-2', { results: [result('test.p.not_null_facts_id.abc', 'pass')], tables: [count('facts', 102)] });
  const h = await readHistory(db, meta);
  assert.deepEqual(
    h.runs.map((r) => [r.id, r.status, r.command]),
    [
      ['run-0', 'success', 'daily'],
      ['run-1', 'error', 'daily'],
      ['run-2', 'success', 'daily'],
    ],
  );
  assert.deepEqual(h.rowCounts.get(`${prefix}gold.facts`), [
    { run: 0, rows: 100 },
    { run: 2, rows: 102 },
  ]);
  assert.deepEqual(
    h.results.get('test.p.not_null_facts_id.abc')!.map((p) => [p.run, p.status, p.failures]),
    [
      [0, 'pass', 0],
      [1, 'fail', 3],
      [2, 'pass', 0],
    ],
  );
  assert.deepEqual(
    h.results.get('source_check.freshness.p.raw.facts')!.map((p) => [p.ageSeconds, p.maxLoadedAt]),
    [
      [3600, '2026-12-01 00:00:00'],
      [7200, '2026-12-02 00:00:00'],
      [10800, '2026-12-03 00:00:00'],
    ],
  );
  assert.equal(h.results.has('model.p.facts'), false, 'the site reads tests and freshness only');
  assert.deepEqual([...latestCounts(h)], [[`${prefix}gold.facts`, 102]]);
  const [long] = await db.query<{ n: number }>(`SELECT MAX(CHAR_LENGTH(message)) AS n FROM ${qualified(meta, 'node_results')}`);
  assert.equal(Number(long!.n), 500, 'long messages are cut');
});

test('only the last 30 runs are read', async () => {
  const m = `${prefix}meta_many`;
  for (let i = 0; i < 35; i++) {
    await recordRunHistory(db, m, `r${String(i).padStart(2, '0')}`, { results: [result('test.p.t', 'pass')], tables: [] });
  }
  const h = await readHistory(db, m);
  assert.equal(h.runs.length, 30);
  assert.equal(h.results.get('test.p.t')!.length, 30);
});

test("a snapshot's versions opened and closed per day come from its dbt_valid_from and dbt_valid_to", async () => {
  const schema = `${prefix}snapshots`;
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.exec(`CREATE TABLE ${qualified(schema, 'contracts_snapshot')} (id INT, dbt_valid_from DATETIME, dbt_valid_to DATETIME NULL)`);
  await db.exec(
    `INSERT INTO ${qualified(schema, 'contracts_snapshot')} VALUES
       (1, '2026-12-01 01:00:00', '2026-12-02 01:00:00'), (1, '2026-12-02 01:00:00', NULL),
       (2, '2026-12-01 01:00:00', NULL), (3, '2026-12-03 01:00:00', NULL), (4, '2026-12-01 02:00:00', '2026-12-03 01:00:00')`,
  );
  assert.deepEqual(await readSnapshotDays(db, schema, 'contracts_snapshot'), [
    { day: '2026-12-01', opened: 3, closed: 0 },
    { day: '2026-12-02', opened: 1, closed: 1 },
    { day: '2026-12-03', opened: 1, closed: 1 },
  ]);
  assert.deepEqual(await readSnapshotDays(db, schema, 'not_built_yet'), []);
});
