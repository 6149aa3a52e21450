/**
 * The same dump again (actions/load/unchanged-dump.ts): byte for byte the dump the published
 * schema was loaded from, and the schema still as that load left it, is not parsed at all: the
 * outcome is the recorded one (tables unchanged, the same refused statements). One byte changed,
 * a table changed behind the loader's back, a swap that forgot the fingerprint, or `force` take
 * the ordinary path.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { loadDump } from '../../actions/load/load-dump.ts';
import { qualified, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { forgetLoadHashes, recordLoadHashes } from '../../actions/platform/load-hashes.ts';
import { publishShadow } from '../../actions/platform/shadow-swap.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { checksums, makeDump, tablesOf } from './helpers.ts';

const prefix = testPrefix('samedump');
const meta = `${prefix}meta`;
const target = `${prefix}staging`;
let db: Db;
let dir: string;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'same-dump-'));
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const view = 'CREATE VIEW `v_a` AS select count(0) AS `n` from `a`;\nGRANT ALL ON *.* TO x;\n';

async function load(file: string, o: { publish?: boolean; force?: boolean } = {}) {
  const log = createMemoryLogger();
  const r = await loadDump(db, { source: await resolveDumpSource(file), schema: target, metaSchema: meta, threads: 2, ...o }, log);
  const same = log.lines.some((l) => /byte for byte the dump/.test(l));
  return { r, same };
}

const statuses = (r: { tables: Array<{ table: string; status: string }> }) => r.tables.map((t) => `${t.table}:${t.status}`);

test('the same dump again: nothing parsed, every table unchanged, the first load reported again', async () => {
  const file = join(dir, 'gghouse_20260205.sql');
  writeFileSync(file, makeDump({ tables: ['a', 'b'], rows: 700, extra: view }));
  const first = await load(file);
  assert.equal(first.same, false);
  assert.deepEqual(statuses(first.r), ['a:loaded', 'b:loaded']);
  assert.equal(first.r.refused.length, 1);
  const before = await checksums(db, target);

  const again = await load(file);
  assert.equal(again.same, true, 'the fingerprint matched');
  assert.deepEqual(statuses(again.r), ['a:unchanged', 'b:unchanged']);
  assert.deepEqual(
    again.r.tables.map((t) => t.rows),
    [700, 700],
  );
  assert.deepEqual(again.r.refused, first.r.refused, 'the refused GRANT is reported again');
  assert.deepEqual(again.r.batches, { loadData: 0, insert: 0 });
  assert.deepEqual(await checksums(db, target), before);
  assert.deepEqual(await tablesOf(db, target, 'VIEW'), ['v_a'], 'the view stays');
  assert.deepEqual(await schemasWithPrefix(db, `${target}__`), [], 'no shadow left');

  // With force, the ordinary path (which still finds both tables unchanged by their hashes).
  const forced = await load(file, { force: true });
  assert.equal(forced.same, false);
  assert.deepEqual(statuses(forced.r), ['a:loaded', 'b:loaded']);
});

test('one byte changed at the same size: the ordinary path loads the table it is in', async () => {
  const file = join(dir, 'gghouse_20260206.sql');
  const dump = makeDump({ tables: ['a', 'b'], rows: 700, extra: view });
  writeFileSync(file, dump);
  await load(file);
  const needle = Buffer.from("'名前 b 42'");
  const at = dump.indexOf(needle);
  assert.ok(at > 0);
  const changed = Buffer.from(dump);
  changed[at + needle.length - 3] = '7'.charCodeAt(0);
  writeFileSync(file, changed);
  const r = await load(file);
  assert.equal(r.same, false);
  assert.deepEqual(statuses(r.r), ['a:unchanged', 'b:loaded']);
  const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${qualified(target, 'b')} WHERE name = '名前 b 72'`);
  assert.equal(Number(row!.n), 2);
});

test('a schema changed since the load, or a swap without its record, takes the ordinary path', async () => {
  const file = join(dir, 'gghouse_20260207.sql');
  writeFileSync(file, makeDump({ tables: ['a', 'b', 'c'], rows: 300, extra: view }));
  await load(file);
  // Somebody drops a published table: the same dump must bring it back.
  await db.exec(`DROP TABLE ${qualified(target, 'c')}`);
  const r1 = await load(file);
  assert.equal(r1.same, false);
  assert.deepEqual(statuses(r1.r), ['a:unchanged', 'b:unchanged', 'c:loaded']);

  // A daily run's own swap (publish: false) with the fingerprint recorded after it.
  const staged = await load(file, { publish: false });
  assert.equal(staged.same, true);
  assert.deepEqual(staged.r.plan.replace, []);
  assert.deepEqual(staged.r.plan.objects, []);
  assert.deepEqual(await tablesOf(db, staged.r.shadowSchema!), [], 'an empty shadow for the caller');
  await forgetLoadHashes(db, meta, target, []);
  // Killed here, between forgetting and recording: the next run must not trust the old record.
  const afterKill = await load(file, { publish: false });
  assert.equal(afterKill.same, false);
  await forgetLoadHashes(db, meta, target, afterKill.r.plan.replace);
  await publishShadow(db, afterKill.r.plan, createMemoryLogger());
  await recordLoadHashes(db, meta, target, afterKill.r.tables, afterKill.r.fingerprint);
  const again = await load(file);
  assert.equal(again.same, true, 'recorded again by the caller after its swap');
});
