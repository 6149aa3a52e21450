import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { readConfig } from '../../actions/platform/config.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { ArchiveFormatError, compareManifests, parseTuples, readArchiveFile, statements } from '../../actions/cleanup/archive-reader.ts';
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
    `CREATE TABLE ${qualified(`${P}src`, 't')} (id INT PRIMARY KEY, s VARCHAR(50), b VARBINARY(10), n DECIMAL(8,3), g INT AS (id * 2) STORED)`,
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

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const s of statements(Readable.from(chunks))) out.push(s);
  return out;
}

test('statements are split the same wherever the chunks break', async () => {
  const text =
    "-- header; not a statement\n/*!40101 SET NAMES utf8mb4 */;\nINSERT INTO `t` VALUES (1,'a;b -- c /* d */','e\\'f'),(2,\"g;\",NULL);\n--\nDROP TABLE `x;y`;\n";
  const whole = await collect([text]);
  assert.deepEqual(whole, ["INSERT INTO `t` VALUES (1,'a;b -- c /* d */','e\\'f'),(2,\"g;\",NULL)", 'DROP TABLE `x;y`']);
  for (let i = 1; i < text.length; i++) assert.deepEqual(await collect([text.slice(0, i), text.slice(i)]), whole, `split at ${i}`);
  await assert.rejects(collect(["INSERT INTO `t` VALUES ('unterminated"]), ArchiveFormatError);
});

test('tuples decode mysqldump escapes, NULL, numbers and hex', () => {
  const values: Array<[string | null, string]> = [];
  let rows = 0;
  parseTuples(
    "(1,'it\\'s\\\\ \\n\\0\\Z ''x''',NULL,0x00FF,X'',-1.5e-3),(2,'',NULL,0x41,X'42',7)",
    (raw, kind) => values.push([raw === null ? null : raw.toString(kind === 'bytes' ? 'hex' : 'utf8'), kind]),
    () => rows++,
  );
  assert.equal(rows, 2);
  assert.deepEqual(values.slice(0, 6), [
    ['1', 'number'],
    ["it's\\ \n\0\x1a 'x'", 'text'],
    [null, 'text'],
    ['00ff', 'bytes'],
    ['', 'bytes'],
    ['-1.5e-3', 'number'],
  ]);
  assert.throws(
    () =>
      parseTuples(
        '(1,2',
        () => {},
        () => {},
      ),
    ArchiveFormatError,
  );
});

test('an archive reads back as written; a changed value or a cut file is caught', async () => {
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
    /INSERT INTO `t` \(`id`,`s`,`b`,`n`\) VALUES\s*\(1,'a\\'b\\\\c\\nd',0x00,1\.500\),\s*\(2,'',X'',-0\.001\),\s*\(3,NULL,NULL,NULL\);/,
  );
  const tampered = join(dir, 'tampered.sql.gz');
  writeFileSync(tampered, gzipSync(text.replace('1.500', '1.501')));
  assert.deepEqual(compareManifests(written, await readArchiveFile(tampered, `${P}src`)), [
    'table t: the values read back differ from those written',
  ]);
  writeFileSync(tampered, gzipSync(text.replace(/\),\s*\(3,NULL,NULL,NULL\)/, ')')));
  assert.deepEqual(compareManifests(written, await readArchiveFile(tampered, `${P}src`)), ['table t: 3 rows written, 2 read back']);
  writeFileSync(tampered, gzipSync(text.slice(0, text.indexOf("(2,'',"))));
  await assert.rejects(readArchiveFile(tampered, `${P}src`), /truncated/);
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
