/**
 * Publishing: unchanged tables stay as they are, changed ones are swapped in, tables the vendor
 * dropped leave in the same swap; `publish: false` leaves the target untouched and hands back the
 * shadow and its plan, which `publishShadow` (or a caller's own combined RENAME) publishes later.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { qualified, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { recordLoadHashes } from '../../actions/platform/load-hashes.ts';
import { renameStatement } from '../../actions/platform/relations.ts';
import { publishShadow, renamePairs } from '../../actions/platform/shadow-swap.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { checksums, loadFile, makeDump, tablesOf } from './helpers.ts';

const prefix = testPrefix('loadpub');
const meta = `${prefix}meta`;
const target = `${prefix}staging`;
let db: Db;
let dir: string;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'load-pub-'));
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const view = 'CREATE ALGORITHM=UNDEFINED DEFINER=`vendor`@`%` SQL SECURITY DEFINER VIEW `v_a` AS select count(0) AS `n` from `a`;\n';

test('changed tables are swapped in, unchanged ones kept, dropped ones removed, in one publish', async () => {
  const day1 = join(dir, 'day1.sql');
  writeFileSync(day1, makeDump({ tables: ['a', 'b', 'c'], rows: 600, extra: view }));
  const r1 = await loadFile(db, day1, target, { metaSchema: meta });
  assert.deepEqual(
    r1.tables.map((t) => `${t.table}:${t.status}`),
    ['a:loaded', 'b:loaded', 'c:loaded'],
  );
  const before = await checksums(db, target);

  // Day 2: a and b byte-identical, c gone, d new; the view is still there.
  const file = join(dir, 'day2.sql');
  writeFileSync(file, makeDump({ tables: ['a', 'b', 'd'], rows: 600, extra: view }));
  const r2 = await loadFile(db, file, target, { metaSchema: meta });
  assert.deepEqual(r2.tables.map((t) => `${t.table}:${t.status}`).sort(), ['a:unchanged', 'b:unchanged', 'c:dropped', 'd:loaded']);
  assert.deepEqual(await tablesOf(db, target), ['a', 'b', 'd']);
  const after = await checksums(db, target);
  assert.equal(after.a, before.a);
  assert.equal(after.b, before.b);
  const [{ n }] = await db.query<{ n: string }>(`SELECT n FROM ${qualified(target, 'v_a')}`);
  assert.equal(Number(n), 600);
  const [{ definer }] = await db.query<{ definer: string }>(
    'SELECT DEFINER AS definer FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [target, 'v_a'],
  );
  assert.doesNotMatch(definer, /vendor/, 'DEFINER stripped');
});

test('publish: false leaves the target untouched and returns the shadow and its swap plan', async () => {
  const before = await checksums(db, target);
  const file = join(dir, 'day3.sql');
  writeFileSync(file, makeDump({ tables: ['a', 'e'], rows: 50, tag: 'day3' }));
  const r = await loadFile(db, file, target, { metaSchema: meta, publish: false });
  assert.equal(r.published, false);
  assert.equal(r.shadowSchema, `${target}__shadow`);
  assert.deepEqual(await checksums(db, target), before, 'target untouched');
  assert.deepEqual(await tablesOf(db, r.shadowSchema!), ['a', 'e']);
  assert.deepEqual(r.plan.replace, ['a', 'e']);
  assert.deepEqual(r.plan.drop.sort(), ['b', 'd']);
  const pairs = renamePairs(r.plan, new Set(['a', 'b', 'd']));
  assert.equal(
    renameStatement(pairs),
    `RENAME TABLE ${qualified(target, 'a')} TO ${qualified(`${target}__old`, 'a')}, ${qualified(`${target}__shadow`, 'a')} TO ${qualified(target, 'a')}, ` +
      `${qualified(`${target}__shadow`, 'e')} TO ${qualified(target, 'e')}, ${qualified(target, 'b')} TO ${qualified(`${target}__old`, 'b')}, ${qualified(target, 'd')} TO ${qualified(`${target}__old`, 'd')}`,
  );
  await publishShadow(db, r.plan, createMemoryLogger());
  await recordLoadHashes(db, meta, target, r.tables);
  assert.deepEqual(await tablesOf(db, target), ['a', 'e']);
  assert.match((await checksums(db, target)).a!, /^50 rows/);
  assert.deepEqual(await schemasWithPrefix(db, `${target}__`), []);
  const again = await loadFile(db, file, target, { metaSchema: meta });
  assert.deepEqual(
    again.tables.map((t) => t.status),
    ['unchanged', 'unchanged'],
    'hashes recorded after the caller published',
  );
});

test('--parse-only reads and reports without a database', async () => {
  const file = join(dir, 'parse.sql');
  writeFileSync(file, makeDump({ tables: ['a', 'b'], rows: 1000, extra: 'GRANT ALL ON *.* TO x;\n' }));
  const r = await runPipelineInProcess(['load', '--dump', file, '--parse-only'], { DATABASE_URL: 'mysql://nobody@127.0.0.1:1' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^a\t1000 rows/m);
  assert.match(r.stdout, /REFUSED line \d+ \(byte \d+\): GRANT statements are not allowed/);
  assert.match(r.stdout, /2 tables, 2000 rows, .* 1 refused; .* MB\/s\); complete \(trailer present\)/);
});

test('INSERTs of a table that may be unchanged are still checked when it turns out changed', async () => {
  const file = join(dir, 'day4.sql');
  const evil = "INSERT INTO `a` VALUES ((SELECT 7 FROM mysql.user LIMIT 1),'x',NULL,NULL);\n";
  writeFileSync(file, makeDump({ tables: ['a', 'e'], rows: 50, tag: 'day3', extra: evil }));
  const r = await loadFile(db, file, target, { metaSchema: meta });
  assert.deepEqual(
    r.tables.map((t) => `${t.table}:${t.status}:${t.rows}`),
    ['a:loaded:50', 'e:unchanged:50'],
  );
  assert.equal(r.refused.length, 1);
  assert.match(r.refused[0]!.reason, /INSERT into a: a parenthesis inside a row/);
});
