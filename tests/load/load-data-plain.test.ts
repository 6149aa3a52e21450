/**
 * Which VALUES lists go to the server as LOAD DATA: only those LOAD DATA reads exactly as the
 * INSERT would be read. The splitter's one-pass check and checkValues (the slow path) must agree,
 * whatever the chunk size; the odd lists must also load as the plain client loads them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { splitAll } from '../../actions/load/dump-splitter.ts';
import { checkValues } from '../../actions/load/insert-values.ts';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksums, loadFile, plainClient } from './helpers.ts';

const PLAIN = [
  "(1,'a',NULL),(2,'b\\'c',-3.25)",
  "(0,'\\0\\b\\n\\r\\t\\Z\\\\\\\"',0.5)",
  "(10,'x',NULL),(11,'a longer row, so the check has look-ahead',12)",
];
const NOT_PLAIN = [
  "(1,'a' 'b')", // adjacent strings are one string to SQL
  '(1-2)', // arithmetic
  '(1+2)',
  '(007)', // a leading zero (a string column would keep it)
  '(1e5)', // an exponent (a string column would keep it)
  '(.5)',
  '(1.)',
  '(1.2.3)',
  "('\\N')", // NULL to LOAD DATA, 'N' to SQL
  "('\\%')", // keeps its backslash in SQL
  "('\\_')",
  '(1, 2)', // a space inside a row
  '(1,)',
  "(x'41')",
  "(_binary 'a')",
  '("a")',
];

function fusedPlain(values: string, chunk: number): boolean | undefined {
  const sql = `INSERT INTO \`t\` VALUES ${values};\n`;
  const [st] = splitAll(sql, chunk).statements;
  return st!.values?.plain;
}

function slowPlain(values: string): boolean {
  const sql = Buffer.from(`INSERT INTO \`t\` VALUES ${values}`, 'latin1');
  const r = checkValues(sql, sql.indexOf('VALUES') + 6);
  assert.ok(r.ok, values);
  return r.plain;
}

test('plain lists are plain to both checks, at every chunk size', () => {
  for (const v of PLAIN) {
    assert.equal(slowPlain(v), true, v);
    assert.equal(fusedPlain(v, 64 * 1024), true, v);
    // In tiny chunks the one-pass check may leave the list to checkValues (undefined), never say false.
    for (const chunk of [1, 2, 3, 7, 33]) assert.notEqual(fusedPlain(v, chunk), false, `${v} in chunks of ${chunk}`);
  }
});

test('lists LOAD DATA would read otherwise are not plain to either check', () => {
  for (const v of NOT_PLAIN) {
    assert.equal(slowPlain(v), false, v);
    for (const chunk of [1, 2, 3, 7, 64 * 1024]) assert.notEqual(fusedPlain(v, chunk), true, `${v} in chunks of ${chunk}`);
  }
});

const prefix = testPrefix('ldplain');
let db: Db;
let dir: string;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'ld-plain-'));
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('odd but valid VALUES lists load exactly as the plain client loads them', async () => {
  const rows = [
    "(1,'a' 'b',NULL,NULL)",
    "(2,'\\N',1-2,1+2)",
    "(3,'\\%\\_',007,1e5)",
    "(4,'plain',-3,0.5)",
    "(5,'x',.5,1.)",
    ...Array.from({ length: 40 }, (_, k) => `(${100 + k},'row ${k}',${k},-${k}.25)`),
  ];
  const dump = [
    "/*!40101 SET NAMES utf8mb4 */;\n/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n",
    'CREATE TABLE `odd` (`id` int NOT NULL, `s` varchar(20), `a` varchar(20), `b` varchar(20), PRIMARY KEY (`id`)) ENGINE=InnoDB;\n',
    `INSERT INTO \`odd\` VALUES ${rows.join(',')};\n`,
    `INSERT INTO \`odd\` VALUES ${Array.from({ length: 40 }, (_, k) => `(${200 + k},'plain ${k}',${k},'${k}')`).join(',')};\n`,
    '-- Dump completed on 2026-02-05\n',
  ].join('');
  const file = join(dir, 'odd.sql');
  writeFileSync(file, dump);
  const plain = `${prefix}plain`;
  await db.exec(`CREATE DATABASE ${quoteIdent(plain)}`);
  const r = plainClient(plain, Buffer.from(dump));
  assert.ok(r.ok, r.stderr);
  await loadFile(db, file, `${prefix}ours`, { metaSchema: `${prefix}meta` });
  assert.deepEqual(await checksums(db, `${prefix}ours`), await checksums(db, plain));
});
