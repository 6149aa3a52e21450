/**
 * The reliability harness checks itself: each check must be able to fail. Snapshots see a changed
 * row, view or table; the leftover check sees shadows and temporary tables; kill -9 lands in the
 * stage it was aimed at and takes the whole process group; KILL CONNECTION finds the run's
 * connections by its user; readers catch a non-atomic swap; the secret scan finds every form.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualified, quoteIdent } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { compareSnapshots, takeSnapshot, rowsAtRisk } from '../../scripts/reliability/snapshot.ts';
import { findLeftovers } from '../../scripts/reliability/leftovers.ts';
import { startPipeline } from '../../scripts/reliability/pipeline-process.ts';
import { chooseKillPoints, stageSpans } from '../../scripts/reliability/kill-points.ts';
import { killAtPoint, killConnectionsAt } from '../../scripts/reliability/injectors.ts';
import { createPipelineUser } from '../../scripts/reliability/pipeline-user.ts';
import { fingerprintSql, startReaders, fingerprint } from '../../scripts/reliability/readers.ts';
import { findSecrets, readTree } from '../../scripts/reliability/secrets-scan.ts';

const prefix = testPrefix('relharness');
const dbPromise = openTestDb(6);
const STAND_IN = join(import.meta.dirname, 'fixtures', 'staged-process.ts');

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

async function makeWarehouse(schema: string, rows: number): Promise<void> {
  const db = await dbPromise;
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)}`);
  await db.exec(`CREATE OR REPLACE TABLE ${qualified(schema, 'facts')} (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20))`);
  for (let i = 1; i <= rows; i++) await db.exec(`INSERT INTO ${qualified(schema, 'facts')} (v) VALUES (?)`, [`v${i}`]);
  await db.exec(`CREATE OR REPLACE VIEW ${qualified(schema, 'facts_v')} AS SELECT id FROM ${qualified(schema, 'facts')}`);
}

test('a snapshot is equal to itself and sees a changed row, a changed view and a dropped table', async () => {
  const db = await dbPromise;
  await makeWarehouse(`${prefix}gold`, 3);
  const before = await takeSnapshot(db, prefix);
  assert.deepEqual(compareSnapshots(before, await takeSnapshot(db, prefix)), []);
  await db.exec(`UPDATE ${qualified(`${prefix}gold`, 'facts')} SET v = 'changed' WHERE id = 2`);
  const changed = compareSnapshots(before, await takeSnapshot(db, prefix));
  assert.deepEqual(
    changed.map((d) => [d.table, d.what]),
    [['facts', 'checksum']],
  );
  assert.equal(rowsAtRisk(before, changed), 3);
  await db.exec(
    `CREATE OR REPLACE VIEW ${qualified(`${prefix}gold`, 'facts_v')} AS SELECT id, v FROM ${qualified(`${prefix}gold`, 'facts')}`,
  );
  await db.exec(`DROP TABLE ${qualified(`${prefix}gold`, 'facts')}`);
  const diffs = compareSnapshots(before, await takeSnapshot(db, prefix));
  assert.deepEqual(diffs.map((d) => [d.table, d.what]).sort(), [
    ['facts', 'table missing'],
    ['facts_v', 'definition'],
  ]);
});

test('shadow schemas, temporary tables and tables a clean run does not make are leftovers', async () => {
  const db = await dbPromise;
  await makeWarehouse(`${prefix}silver`, 1);
  assert.deepEqual(await findLeftovers(db, prefix, { expectedTables: { [`${prefix}silver`]: ['facts', 'facts_v'] } }), []);
  await db.exec(`CREATE DATABASE ${quoteIdent(`${prefix}silver__shadow`)}`);
  await db.exec(`CREATE TABLE ${qualified(`${prefix}silver`, 'facts__tmp')} (x INT)`);
  await db.exec(`CREATE TABLE ${qualified(`${prefix}silver`, 'surprise')} (x INT)`);
  const found = await findLeftovers(db, prefix, { expectedTables: { [`${prefix}silver`]: ['facts', 'facts_v'] } });
  assert.deepEqual(found.map((f) => f.kind).sort(), ['shadow or old schema', 'temporary table', 'unexpected table']);
  await db.exec(`DROP DATABASE ${quoteIdent(`${prefix}silver__shadow`)}`);
  await db.exec(`DROP DATABASE ${quoteIdent(`${prefix}silver`)}`);
});

test('kill points cover every stage, and kill -9 lands in the planned stage and takes the process group', async () => {
  const calibration = await startPipeline(['load:600', 'build:600', 'publish:300'], { script: STAND_IN }).done;
  assert.equal(calibration.code, 0);
  assert.deepEqual(
    stageSpans(calibration.lines).map((s) => s.name),
    ['load', 'build', 'publish'],
  );
  const points = chooseKillPoints(calibration.lines, 8);
  assert.equal(points.length, 8);
  for (const stage of ['load', 'build', 'publish'])
    assert.ok(
      points.some((p) => p.plannedStage === stage),
      `a point in ${stage}`,
    );
  const mid = points.find((p) => p.plannedStage === 'build' && p.delayMs > 100)!;
  const pidFile = join(mkdtempSync(join(tmpdir(), 't-rel-')), 'grandchild.pid');
  const outcome = await killAtPoint(['load:600', 'build:600', 'publish:300', '--grandchild', pidFile], mid, { script: STAND_IN });
  assert.equal(outcome.injected, true);
  assert.equal(outcome.exit.signal, 'SIGKILL');
  assert.equal(outcome.stage, 'build');
  assert.doesNotMatch(outcome.exit.stdout, /done/);
  const grandchild = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((r) => setTimeout(r, 100));
  // Gone, or a zombie waiting for a reaper: either way no longer running.
  const state = existsSync(`/proc/${grandchild}/stat`) ? readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]![0] : 'gone';
  assert.ok(state === 'gone' || state === 'Z', `the grandchild died with the group (state ${state})`);
});

test('KILL CONNECTION finds the run by its dedicated user and cuts its statement', async () => {
  const db = await dbPromise;
  const user = await createPipelineUser(db, prefix);
  try {
    const started = Date.now();
    const outcome = await killConnectionsAt(
      db,
      ['sleep:20000', '--sleep-sql', user.url],
      /^▶ sleep$/,
      { user: user.name },
      { script: STAND_IN, busyOnly: true },
    );
    assert.equal(outcome.injected, true);
    assert.equal(outcome.killed.length, 1);
    assert.match(outcome.killed[0]!.info ?? '', /SLEEP/);
    assert.equal(outcome.exit.code, 1);
    assert.match(outcome.exit.stderr, /lost the connection/);
    assert.ok(Date.now() - started < 15_000, 'cut long before the statement would have ended');
  } finally {
    await user.drop();
  }
});

test("the dedicated user reaches its prefix's schemas and nothing else", async () => {
  const db = await dbPromise;
  const user = await createPipelineUser(db, prefix);
  const { openDb, parseDatabaseUrl } = await import('../../actions/platform/db.ts');
  const asUser = await openDb(parseDatabaseUrl(user.url), { connections: 1 });
  try {
    await asUser.exec(`CREATE DATABASE ${quoteIdent(`${prefix}mine`)}`);
    await assert.rejects(asUser.exec('CREATE DATABASE `t_rel_not_mine_x`'), /denied/);
    // The prefix's underscores are not wildcards: a schema differing in one of them is out of reach.
    await assert.rejects(asUser.exec(`CREATE DATABASE ${quoteIdent(prefix.replace(/_$/, 'X') + 'mine')}`), /denied/);
  } finally {
    await asUser.close();
    await user.drop();
  }
});

test('readers see only whole versions across an atomic swap, and catch a non-atomic one', async () => {
  const db = await dbPromise;
  const schema = `${prefix}readers`;
  await makeWarehouse(schema, 5);
  const sql = await fingerprintSql(db, [{ schema, table: 'facts' }]);
  const old = await fingerprint(db, sql);
  const swap = async (atomic: boolean, rows: number) => {
    await db.exec(`CREATE OR REPLACE TABLE ${qualified(schema, 'facts_new')} LIKE ${qualified(schema, 'facts')}`);
    for (let i = 1; i <= rows; i++) await db.exec(`INSERT INTO ${qualified(schema, 'facts_new')} (v) VALUES (?)`, [`n${i}`]);
    const readers = await startReaders(db, sql, 3);
    await new Promise((r) => setTimeout(r, 100));
    if (atomic) {
      await db.exec(
        `RENAME TABLE ${qualified(schema, 'facts')} TO ${qualified(schema, 'facts_old')}, ${qualified(schema, 'facts_new')} TO ${qualified(schema, 'facts')}`,
      );
    } else {
      // What dbt's MySQL adapter does: a moment with no table at all.
      await db.exec(`DROP TABLE ${qualified(schema, 'facts')}`);
      await new Promise((r) => setTimeout(r, 100));
      await db.exec(`RENAME TABLE ${qualified(schema, 'facts_new')} TO ${qualified(schema, 'facts')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    const now = await fingerprint(db, sql);
    readers.expect(old);
    readers.expect(now);
    const stats = await readers.stop();
    await db.exec(`DROP TABLE IF EXISTS ${qualified(schema, 'facts_old')}`);
    return stats;
  };
  const good = await swap(true, 7);
  assert.ok(good.queries > 10, `${good.queries} queries`);
  assert.equal(good.errors, 0, good.firstError);
  assert.equal(good.mismatches, 0);
  assert.ok(good.answers.some((a) => a.version === 0) && good.answers.some((a) => a.version === 1), 'saw both versions');
  const bad = await swap(false, 9);
  assert.ok(bad.errors > 0, 'a non-atomic swap is caught');
});

test('the secret scan finds a secret as it is, URL-encoded and base64-encoded, in output and files', () => {
  const dir = mkdtempSync(join(tmpdir(), 't-rel-secrets-'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify({ url: `mysql://u:${encodeURIComponent('p@ss/word')}@h` }));
  writeFileSync(join(dir, 'b.md'), Buffer.from('p@ss/word').toString('base64'));
  writeFileSync(join(dir, 'clean.md'), 'nothing here');
  const hits = findSecrets({ password: 'p@ss/word' }, { stderr: 'error: p@ss/word', stdout: 'ok', ...readTree(dir) });
  assert.deepEqual(hits.map((h) => h.where.replace(dir, '')).sort(), ['/a.json', '/b.md', 'stderr']);
  assert.ok(existsSync(dir));
});

test('the cutting proxy drops the first connection after N bytes and lets the retry through', async () => {
  const { createServer } = await import('node:http');
  const { startCuttingProxy } = await import('../../scripts/reliability/cutting-proxy.ts');
  const body = Buffer.alloc(200_000, 'x');
  const server = createServer((_, res) => res.end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy = await startCuttingProxy({ host: '127.0.0.1', port: (server.address() as { port: number }).port }, 50_000);
  try {
    const url = `http://127.0.0.1:${proxy.port}/`;
    await assert.rejects(fetch(url).then((r) => r.arrayBuffer()));
    assert.equal(proxy.cutsDone.length, 1);
    assert.ok(proxy.cutsDone[0]! <= 50_000);
    const again = Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.equal(again.length, body.length);
  } finally {
    await proxy.close();
    server.close();
  }
});
