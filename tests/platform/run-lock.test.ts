import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { acquireRunLock } from '../../actions/platform/run-lock.ts';
import { qualified } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipeline } from '../helpers/cli.ts';

const prefix = testPrefix('runlock');
const meta = `${prefix}pipeline_meta`;
const dbPromise = openTestDb(4);

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const base = { metaSchema: meta, host: 'test-host', pid: 4242 };

test('a second run against the same warehouse is refused at once, naming the holder', async () => {
  const db = await dbPromise;
  const first = await acquireRunLock(db, { ...base, command: 'daily', dump: 'gghouse_20260205.sql' });
  const started = Date.now();
  await assert.rejects(acquireRunLock(db, { ...base, command: 'load' }), (err: Error) => {
    assert.match(
      err.message,
      /another pipeline run holds the lock on this warehouse: 'daily' \(run .+\) started .* by pid 4242 on test-host/,
    );
    assert.match(err.message, /pass --wait-lock/);
    return true;
  });
  assert.ok(Date.now() - started < 2000, 'refused at once');
  await first.release('success');
  const [row] = await db.query<{ status: string }>(`SELECT status FROM ${qualified(meta, 'runs')} WHERE run_id = ?`, [first.runId]);
  assert.equal(row!.status, 'success');
});

test('with a wait, the second run gets the lock once the first releases it', async () => {
  const db = await dbPromise;
  const first = await acquireRunLock(db, { ...base, command: 'daily' });
  const second = acquireRunLock(db, { ...base, command: 'daily', waitSeconds: 20 });
  await new Promise((r) => setTimeout(r, 300));
  await first.release('success');
  const lock = await second;
  await lock.release('success');
});

test('a lock whose holder dies (connection gone) is free again, and its run is marked abandoned', async () => {
  const db = await dbPromise;
  const first = await acquireRunLock(db, { ...base, command: 'daily' });
  const [row] = await db.query<{ id: string }>(`SELECT connection_id AS id FROM ${qualified(meta, 'runs')} WHERE run_id = ?`, [
    first.runId,
  ]);
  await db.exec(`KILL CONNECTION ${Number(row!.id)}`);
  await new Promise((r) => setTimeout(r, 200));
  const next = await acquireRunLock(db, { ...base, command: 'daily' });
  const [old] = await db.query<{ status: string }>(`SELECT status FROM ${qualified(meta, 'runs')} WHERE run_id = ?`, [first.runId]);
  assert.equal(old!.status, 'abandoned');
  await next.release('success');
});

test('a different schema prefix is a different warehouse: its lock is independent', async () => {
  const db = await dbPromise;
  const a = await acquireRunLock(db, { ...base, command: 'daily' });
  const b = await acquireRunLock(db, { ...base, metaSchema: `${prefix}x_pipeline_meta`, command: 'daily' });
  await a.release('success');
  await b.release('success');
});

test('two CLI processes: the second is refused by the lock with exit 1, naming the holder', async () => {
  const db = await dbPromise;
  const held = await acquireRunLock(db, { ...base, metaSchema: `${prefix}pipeline_meta`, command: 'daily' });
  try {
    const r = await runPipeline(['seed', '--schema-prefix', prefix]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /another pipeline run holds the lock on this warehouse: 'daily' .* by pid 4242 on test-host/);
    assert.equal(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('error:')).length,
      1,
    );
  } finally {
    await held.release('success');
  }
});

test('a run whose lock connection was killed knows it no longer holds the lock, and refuses to publish', async () => {
  const db = await dbPromise;
  const lock = await acquireRunLock(db, { ...base, command: 'daily' });
  await lock.assertHeld();
  const [row] = await db.query<{ id: string }>(`SELECT connection_id AS id FROM ${qualified(meta, 'runs')} WHERE run_id = ?`, [lock.runId]);
  await db.exec(`KILL CONNECTION ${Number(row!.id)}`);
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(lock.assertHeld(), /this run no longer holds the warehouse lock .* so it does not publish/);
  await lock.release('error').catch(() => {});
});
