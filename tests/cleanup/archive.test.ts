import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { readConfig } from '../../actions/platform/config.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { compareManifests, readArchiveFile, StatementScanner, type ScannedStatement } from '../../actions/cleanup/archive-reader.ts';
import { keyAfter, splitRange } from '../../actions/cleanup/archive-select.ts';
import { writeSchemaArchive } from '../../actions/cleanup/archive-writer.ts';
import { createDirStore, parseArchiveTarget } from '../../actions/cleanup/archive-store.ts';
import { createClassifier } from '../../actions/cleanup/classify.ts';
import { runCleanup } from '../../actions/cleanup/cleanup.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { makeProject } from './project.ts';

const P = testPrefix('archive');
let db: Db;
let dir: string;
let project: string;

before(async () => {
  db = await openTestDb(2);
  dir = mkdtempSync(join(tmpdir(), 'archive-test-'));
  project = makeProject();
  await db.exec(`CREATE DATABASE ${quoteIdent(`${P}src`)}`);
  await db.exec(
    `CREATE TABLE ${qualified(`${P}src`, 't')} (id INT PRIMARY KEY, s VARCHAR(50), b VARBINARY(10), n DECIMAL(8,3), g BIGINT AS (id MOD 1000) STORED)`,
  );
  await db.exec(
    `INSERT INTO ${qualified(`${P}src`, 't')} (id, s, b, n) VALUES (1, 'a\\'b\\\\c\\nd', x'00', 1.500), (2, '', x'', -0.001), (3, NULL, NULL, NULL)`,
  );
});

after(async () => {
  await dropSchemasWithPrefix(db, P);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

function scan(chunks: string[]): ScannedStatement[] {
  const out: ScannedStatement[] = [];
  const scanner = new StatementScanner((st) => out.push(st));
  for (const c of chunks) scanner.feed(Buffer.from(c, 'utf8'));
  scanner.finish();
  return out;
}

test('statements are split the same wherever the chunks break, and a row is a ( outside quotes and comments', () => {
  const text =
    "-- header; (not a statement)\n/*!40101 SET NAMES utf8mb4 */;\nINSERT INTO `t` VALUES (1,'a;b -- c /* d ( */','e\\'f\\\\'),\n(2,\"g;(\",NULL);\n--\nDROP TABLE `x;(y`;\nINSERT INTO `u` (`a`) VALUES ('東京\n(');\n";
  const whole = scan([text]);
  assert.deepEqual(whole, [
    { head: "INSERT INTO `t` VALUES (1,'a;b -- c /* d ( */','e\\'f\\\\'),\n(2,\"g;(\",NULL)", parens: 2 },
    { head: 'DROP TABLE `x;(y`', parens: 0 },
    { head: "INSERT INTO `u` (`a`) VALUES ('東京\n(')", parens: 2 },
  ]);
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 1; i < bytes.length; i++) {
    const out: ScannedStatement[] = [];
    const scanner = new StatementScanner((st) => out.push(st));
    scanner.feed(bytes.subarray(0, i));
    scanner.feed(bytes.subarray(i));
    scanner.finish();
    assert.deepEqual(out, whole, `split at byte ${i}`);
  }
  assert.throws(() => scan(["INSERT INTO `t` VALUES ('unterminated"]), /ends inside a quoted string: it is truncated/);
  assert.throws(() => scan(['INSERT INTO `t` VALUES (1)']), /ends with an unterminated statement/);
});

test('an archive reads back as written; a changed value, a lost row or a cut file is caught', async () => {
  const file = join(dir, 'src.sql.gz');
  const written = await writeSchemaArchive(db, `${P}src`, file);
  assert.deepEqual(
    written.tables.map((t) => [t.name, t.rows]),
    [['t', 3]],
  );
  assert.deepEqual(compareManifests(written, await readArchiveFile(file, `${P}src`)), []);

  const text = gunzipSync(readFileSync(file)).toString('utf8');
  assert.match(
    text,
    /INSERT INTO `t` \(`id`,`s`,`b`,`n`\) VALUES\s*\(1,'a\\'b\\\\c\nd',0x00,1\.500\),\s*\(2,'',X'',-0\.001\),\s*\(3,NULL,NULL,NULL\);/,
  );
  const tampered = join(dir, 'tampered.sql.gz');
  const reread = async (t: string) => {
    rmSync(tampered, { force: true });
    writeFileSync(tampered, gzipSync(t));
    return compareManifests({ ...written, sha256: undefined }, await readArchiveFile(tampered, `${P}src`));
  };
  assert.match(
    (await reread(text.replace('1.500', '1.501'))).join(),
    /^the SQL text read back differs from the text written \(sha256 [0-9a-f]{64}, written [0-9a-f]{64}\)$/,
  );
  assert.deepEqual((await reread(text.replace(/\),\s*\(3,NULL,NULL,NULL\)/, ')'))).slice(1), ['table t: 3 rows written, 2 read back']);
  await assert.rejects(reread(text.slice(0, text.indexOf("(2,'',"))), /truncated/);
  // The same text compressed again is other bytes: the file's own sha256 tells.
  writeFileSync(tampered, gzipSync(text, { level: 9 }));
  assert.match(compareManifests(written, await readArchiveFile(tampered, `${P}src`)).join(), /^the file's bytes differ from those written/);
});

test('every kind of column restores exactly with the plain mariadb client, read in parallel ranges and pages', async () => {
  const s = `${P}kinds`;
  await db.exec(`CREATE DATABASE ${quoteIdent(s)}`);
  await db.exec(
    `CREATE TABLE ${qualified(s, 't')} (id BIGINT PRIMARY KEY, s VARCHAR(50), l VARCHAR(20) CHARACTER SET latin1, b VARBINARY(10), n DECIMAL(8,3), f FLOAT, d DOUBLE,
      dt DATETIME(3), ts TIMESTAMP NULL, dd DATE, bt BIT(3), e ENUM('a','b'), j JSON, bl BLOB, g BIGINT AS (id MOD 1000) STORED, y YEAR, tm TIME(1),
      inv INT INVISIBLE DEFAULT 7, geo POINT NULL)`,
  );
  await db.exec(
    `INSERT INTO ${qualified(s, 't')} (id, s, l, b, n, f, d, dt, ts, dd, bt, e, j, bl, y, tm, inv, geo) VALUES
     (1, CONCAT('a''b\\\\c', CHAR(10), 'd', CHAR(13), CHAR(10), 'e', CHAR(0), 'f', CHAR(26), 'g"h'), 'café', x'00ff27', 1.500, 1.1, 1e300,
      '2026-01-02 03:04:05.123', '2026-01-01 00:00:00', '2026-02-05', b'101', 'b', '{"k": "v"}', x'', 2024, '-12:00:01', 9, POINT(1, 2)),
     (2, '', NULL, x'', -0.001, -3.4e38, -0.0, NULL, NULL, NULL, b'0', NULL, NULL, NULL, NULL, NULL, 8, NULL),
     (9007199254740993, '東京 🍣', 'ä', x'e6', 0, 0.1, 0.1, '1000-01-01', '2038-01-19 03:14:07', '9999-12-31', b'111', 'a', '1', REPEAT(x'00', 10), 2155, '838:59:59', 2, NULL)`,
  );
  const more = Array.from({ length: 2000 }, (_, i) => `(${101 + i}, 'row ${i}')`);
  await db.exec(`INSERT INTO ${qualified(s, 't')} (id, s) VALUES ${more.join(', ')}`);
  await db.exec(`ANALYZE TABLE ${qualified(s, 't')}`);
  await db.exec(`CREATE TABLE ${qualified(s, 'nokey')} (x TEXT)`);
  await db.exec(`INSERT INTO ${qualified(s, 'nokey')} VALUES ('one'), (NULL)`);
  const file = join(dir, 'kinds.sql.gz');
  const written = await writeSchemaArchive(db, s, file, { pageRows: 100, partRows: 300, parallel: 3, readAhead: 2 });
  assert.deepEqual(
    written.tables.map((t) => [t.name, t.rows]),
    [
      ['nokey', 2],
      ['t', 2003],
    ],
  );
  assert.deepEqual(compareManifests(written, await readArchiveFile(file, s)), []);
  const into = `${P}kinds_restored`;
  await db.exec(`CREATE DATABASE ${quoteIdent(into)}`);
  execFileSync('bash', ['-c', 'gunzip -c "$1" | mariadb -h127.0.0.1 -uroot "$2"', 'restore', file, into]);
  const sums = async (schema: string) =>
    (await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(schema, 't')}, ${qualified(schema, 'nokey')}`)).map(
      (r) => r.Checksum,
    );
  assert.deepEqual(await sums(into), await sums(s));
  const [inv] = await db.query<{ n: string }>(`SELECT SUM(inv) AS n FROM ${qualified(into, 't')}`);
  assert.equal(Number(inv!.n), 9 + 8 + 2 + 7 * 2000);
});

test('a large table with an integer key is split into key ranges that cover every value', () => {
  assert.deepEqual(splitRange('1', '1000', 1000, 300), [
    { to: '251' },
    { from: '251', to: '501' },
    { from: '501', to: '751' },
    { from: '751' },
  ]);
  assert.deepEqual(splitRange('5', '6', 1000, 10), [{ to: '6' }, { from: '6' }]);
  assert.deepEqual(splitRange('1', '10', 50, 100), [{}]);
  assert.deepEqual(splitRange('-9223372036854775808', '9223372036854775807', 10, 5), [{ to: '0' }, { from: '0' }]);
});

test('keyset paging compares a composite key column by column, so the server reads a range', () => {
  assert.equal(keyAfter(['`a`'], ['1']), '`a` > 1');
  assert.equal(keyAfter(['`a`', '`b`', '`c`'], ["'x'", '2', '3']), "`a` >= 'x' AND (`a` > 'x' OR (`b` >= 2 AND (`b` > 2 OR (`c` > 3))))");
});

test('a schema that changes while it is archived is not dropped', async () => {
  await db.exec(`CREATE DATABASE ${quoteIdent(`${P}_gold`)}`);
  await db.exec(`CREATE TABLE ${qualified(`${P}_gold`, 'x')} (id INT PRIMARY KEY)`);
  await db.exec(`INSERT INTO ${qualified(`${P}_gold`, 'x')} VALUES (1)`);
  const config = readConfig(project);
  const classifier = createClassifier(config, createSchemas(config, P));
  const plain = createDirStore(join(dir, 'changing'));
  // A writer that strikes between the archive and the drop.
  const store = {
    ...plain,
    commit: async (s: string, f: string, h: string) => {
      await db.exec(`INSERT INTO ${qualified(`${P}_gold`, 'x')} VALUES (2)`);
      return plain.commit(s, f, h);
    },
  };
  const report = await runCleanup(
    db,
    classifier,
    { apply: true, archive: true, store, now: new Date(), source: 'test' },
    createMemoryLogger(),
  );
  const gold = report.results.find((r) => r.schema === `${P}_gold`)!;
  assert.equal(gold.status, 'error');
  assert.match(gold.message!, /changed while it was being archived, so it was not dropped \(the archive is kept at .*\)/);
  assert.ok((await schemasWithPrefix(db, P)).includes(`${P}_gold`));
  assert.equal(report.status, 'error');
});

test('a legacy schema with triggers is refused, since the archive would not keep them', async () => {
  await db.exec(`CREATE DATABASE ${quoteIdent(`${P}basis`)}`);
  await db.exec(`CREATE TABLE ${qualified(`${P}basis`, 'x')} (id INT PRIMARY KEY)`);
  await db.exec(
    `CREATE TRIGGER ${qualified(`${P}basis`, 'trg')} BEFORE INSERT ON ${qualified(`${P}basis`, 'x')} FOR EACH ROW SET NEW.id = NEW.id`,
  );
  const config = readConfig(project);
  const classifier = createClassifier(config, createSchemas(config, P));
  const report = await runCleanup(
    db,
    classifier,
    { apply: true, archive: true, store: createDirStore(join(dir, 'trg')), now: new Date(), source: 'test' },
    createMemoryLogger(),
  );
  const basis = report.results.find((r) => r.schema === `${P}basis`)!;
  assert.equal(basis.status, 'refused');
  assert.match(basis.why, /1 triggers, routines or events, which the archive does not keep/);
  assert.ok((await schemasWithPrefix(db, P)).includes(`${P}basis`));
});

test('archive targets: a directory or an S3 prefix', () => {
  assert.deepEqual(
    parseArchiveTarget('s3://bucket-1/a/b', (d) => d),
    { kind: 's3', bucket: 'bucket-1', prefix: 'a/b/' },
  );
  assert.deepEqual(
    parseArchiveTarget('s3://bucket-1', (d) => d),
    { kind: 's3', bucket: 'bucket-1', prefix: '' },
  );
  assert.deepEqual(
    parseArchiveTarget('out', (d) => `/abs/${d}`),
    { kind: 'dir', dir: '/abs/out' },
  );
  assert.throws(() => parseArchiveTarget('s3://B_ad/x', (d) => d), /not a valid S3 location/);
});

test('keyset paging over a composite text and number key reads every row once', async () => {
  const s = `${P}paged`;
  await db.exec(`CREATE DATABASE ${quoteIdent(s)}`);
  await db.exec(
    `CREATE TABLE ${qualified(s, 'k')} (region VARCHAR(20), n BIGINT, v VARBINARY(4), PRIMARY KEY (region, n)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  );
  await db.exec(
    `INSERT INTO ${qualified(s, 'k')} VALUES ('Tokyo', 1, x'01'), ('tokyo2', -5, NULL), ('大阪', 9007199254740993, x'ff'), ('O''Hara', 2, x''), ('Tokyo', 10, x'02'), ('a', 0, x'00')`,
  );
  const file = join(dir, 'paged.sql.gz');
  const written = await writeSchemaArchive(db, s, file, { pageRows: 2 });
  assert.equal(written.tables[0]!.rows, 6);
  assert.deepEqual(compareManifests(written, await readArchiveFile(file, s)), []);
  assert.match(gunzipSync(readFileSync(file)).toString('utf8'), /\('大阪',9007199254740993,0xFF\)/);
});
