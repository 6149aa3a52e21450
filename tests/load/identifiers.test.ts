/**
 * Names as vendors write them: Japanese, spaces, backticks, dots and 64-character names for tables,
 * columns, keys, views and triggers, in a `mariadb-dump --default-character-set=utf8mb4` dump (and
 * a latin1 one). Loaded by our loader and by the plain client, the schemas must be the same (CHECKSUM
 * TABLE and row counts, objects by name), and names must read right everywhere: results, content
 * hashes (an unchanged reload skips every table), parse-only and the CLI's summary.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { parseDump } from '../../actions/load/parse-dump.ts';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { runPipeline } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { checksums, createSchema, loadFile, mariadbDump, objectsOf, plainClient, tablesOf } from './helpers.ts';

const prefix = testPrefix('loadnames');
const src = `${prefix}src`;
const srcLatin1 = `${prefix}src1`;
const meta = `${prefix}meta`;
let db: Db;
let dir: string;
let dump: string;
let dumpLatin1: string;

const JP = '日本語テーブル';
const ODD = 'a`b.c d';
// 64 characters; a table's file name spells each non-ASCII one in 5 bytes (@30c6), within 255 bytes.
const LONG = 'テ'.repeat(40) + 'x'.repeat(24);
const LONG_COL = '列'.repeat(64);
const LONG_KEY = 'k'.repeat(32) + '索'.repeat(32);
const VIEW = 'ビュー 一覧';
const TRIGGER = 'トリガー_挿入';
const q = quoteIdent;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'load-names-'));
  await db.withSession(async (s) => {
    await s.exec(`CREATE DATABASE ${q(src)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await s.exec(`USE ${q(src)}`);
    await s.exec(`CREATE TABLE ${q(JP)} (
      ${q('契約番号')} INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      ${q('名前 with space')} VARCHAR(100) NULL,
      ${q('x.y')} TEXT NULL,
      ${q('`q`')} INT NULL,
      KEY ${q('索引_名前')} (${q('名前 with space')})
    ) ENGINE=InnoDB`);
    const rows: unknown[][] = [];
    for (let i = 0; i < 300; i++) rows.push([`名前 ${i} 😀`, `本文\n"引用" 'x' ${i} 🍣`, i]);
    await s.exec(
      `INSERT INTO ${q(JP)} (${q('名前 with space')}, ${q('x.y')}, ${q('`q`')}) VALUES ${rows.map(() => '(?,?,?)').join(',')}`,
      rows.flat(),
    );
    await s.exec(
      `CREATE TABLE ${q(ODD)} (${q('id')} INT PRIMARY KEY, ${q('a`b')} VARCHAR(20), KEY ${q('k.e y')} (${q('a`b')})) ENGINE=InnoDB`,
    );
    await s.exec(`INSERT INTO ${q(ODD)} VALUES (1,'one'),(2,'two')`);
    await s.exec(`CREATE TABLE ${q(LONG)} (${q(LONG_COL)} INT PRIMARY KEY, v VARCHAR(10), KEY ${q(LONG_KEY)} (v)) ENGINE=InnoDB`);
    await s.exec(`INSERT INTO ${q(LONG)} VALUES ${Array.from({ length: 50 }, (_, i) => `(${i},'v${i}')`).join(',')}`);
    await s.exec(`CREATE VIEW ${q(VIEW)} AS SELECT ${q('契約番号')} AS ${q('番号')}, '日本' AS ${q('国')} FROM ${q(JP)}`);
    await s.exec(
      `CREATE TRIGGER ${q(TRIGGER)} BEFORE INSERT ON ${q(JP)} FOR EACH ROW SET NEW.${q('名前 with space')} = TRIM(NEW.${q('名前 with space')})`,
    );
    await s.exec(`CREATE DATABASE ${q(srcLatin1)} CHARACTER SET latin1`);
    await s.exec(`CREATE TABLE ${q(srcLatin1)}.${q('café_ü')} (${q('größe')} INT PRIMARY KEY, t VARCHAR(20)) CHARACTER SET latin1`);
    await s.exec(`INSERT INTO ${q(srcLatin1)}.${q('café_ü')} VALUES (1,'été'),(2,'Öl')`);
  });
  dump = join(dir, 'names.sql');
  mariadbDump(['--default-character-set=utf8mb4', '--triggers', src], dump);
  dumpLatin1 = join(dir, 'latin1.sql');
  mariadbDump(['--default-character-set=latin1', srcLatin1], dumpLatin1);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Japanese, odd and 64-character names load as the plain client loads them, views and triggers included', async () => {
  const plain = `${prefix}plain`;
  await createSchema(db, plain);
  const r0 = plainClient(plain, readFileSync(dump));
  assert.ok(r0.ok, r0.stderr);
  const r = await loadFile(db, dump, `${prefix}ours`, { metaSchema: meta, withRoutines: true });
  assert.deepEqual(r.refused, []);
  assert.deepEqual(
    r.tables.map((t) => [t.table, t.rows, t.status]).sort(),
    [
      [JP, 300, 'loaded'],
      [ODD, 2, 'loaded'],
      [LONG, 50, 'loaded'],
    ].sort(),
  );
  assert.deepEqual(await tablesOf(db, `${prefix}ours`), await tablesOf(db, plain));
  assert.deepEqual(await checksums(db, `${prefix}ours`), await checksums(db, plain));
  assert.deepEqual(await objectsOf(db, `${prefix}ours`), await objectsOf(db, plain));
  assert.deepEqual(await objectsOf(db, `${prefix}ours`), [`trigger ${TRIGGER}`, `view ${VIEW}`]);
  const [k] = await db.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND INDEX_NAME IN (?, ?, ?)',
    [`${prefix}ours`, '索引_名前', 'k.e y', LONG_KEY],
  );
  assert.equal(Number(k!.n), 3);
});

test('an unchanged reload finds every table by its decoded name (content hashes), and changes nothing', async () => {
  const r = await loadFile(db, dump, `${prefix}ours`, { metaSchema: meta, withRoutines: true });
  assert.deepEqual(
    r.tables.map((t) => t.status),
    ['unchanged', 'unchanged', 'unchanged'],
  );
  const [h] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(meta)}.content_hashes WHERE table_name IN (?, ?, ?)`, [
    JP,
    ODD,
    LONG,
  ]);
  assert.equal(Number(h!.n), 3);
});

test('a latin1 dump (SET NAMES latin1) gives latin1 names, decoded right', async () => {
  const plain = `${prefix}plain1`;
  await createSchema(db, plain);
  const r0 = plainClient(plain, readFileSync(dumpLatin1));
  assert.ok(r0.ok, r0.stderr);
  const r = await loadFile(db, dumpLatin1, `${prefix}ours1`, { metaSchema: meta });
  assert.deepEqual(
    r.tables.map((t) => t.table),
    ['café_ü'],
  );
  assert.deepEqual(await checksums(db, `${prefix}ours1`), await checksums(db, plain));
});

test('parse-only and the CLI summary print the names as written', async () => {
  const p = await parseDump(await resolveDumpSource(dump), {}, createMemoryLogger());
  assert.deepEqual(p.tables.map((t) => t.table).sort(), [JP, ODD, LONG].sort());
  const cli = await runPipeline(['load', '--dump', dump, '--schema', 'cli_names', '--schema-prefix', prefix]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout + cli.stderr, new RegExp(JP));
  assert.doesNotMatch(cli.stdout + cli.stderr, /internal error|æ/);
});
