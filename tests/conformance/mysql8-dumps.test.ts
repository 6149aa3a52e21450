/**
 * The fourteen real MySQL 8 / 5.7 dumps (../shared/testdata/mysql8-dumps) load unedited with
 * --with-routines, and equal, table for table and row for row, what the plain `mariadb` client
 * loads from a copy edited for MariaDB. The edits are the ones a careful human makes, done here
 * with a few explicit replacements (see `editForMariadb`).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { FIXTURES, sharedFixture } from './fixtures.ts';
import { checksums, createSchema, loadFile, objectsOf, plainClient } from '../load/helpers.ts';

const DIR = sharedFixture(FIXTURES.mysql8Dumps);
const DUMPS = (DIR === undefined ? [] : readdirSync(DIR)).filter((f) => f.endsWith('.sql')).sort();

const prefix = testPrefix('load8');
const meta = `${prefix}meta`;
let db: Db;

/** The collations MariaDB 10.11 uses for MySQL 8's (what the loader must report too). */
const COLLATIONS: Record<string, string> = {
  utf8mb4_0900_ai_ci: 'utf8mb4_uca1400_ai_ci',
  utf8mb4_0900_as_cs: 'utf8mb4_uca1400_as_cs',
};

/**
 * A human's edits for MariaDB, as byte-safe replacements (latin1 keeps every byte):
 * 1. MySQL 8 collations → MariaDB's UCA 14.0 ones (error 1273 otherwise);
 * 2. drop the GTID_PURGED and SQL_LOG_BIN lines (error 1193 on MariaDB);
 * 3. drop CREATE DATABASE and USE lines (the copy is loaded into a schema named on the command line);
 * 4. remove DEFINER=… clauses (the definer account does not exist here).
 */
export function editForMariadb(dump: Buffer): Buffer {
  let text = dump.toString('latin1');
  for (const [from, to] of Object.entries(COLLATIONS)) text = text.split(from).join(to);
  text = text.replace(/^SET @@GLOBAL\.GTID_PURGED=.*;\r?$/gm, '');
  text = text.replace(/^SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION\.SQL_LOG_BIN;\r?$/gm, '');
  text = text.replace(/^SET @@SESSION\.SQL_LOG_BIN\s*=.*;\r?$/gm, '');
  text = text.replace(/^CREATE DATABASE .*;\r?$/gm, '');
  text = text.replace(/^USE `[^`]*`;\r?$/gm, '');
  text = text.replace(/\/\*!500(13|17) DEFINER=[^*]*\*\//g, '');
  text = text.replace(/DEFINER=(`[^`]*`|\w+)@(`[^`]*`|'[^']*'|\w+)/g, '');
  return Buffer.from(text, 'latin1');
}

before(async () => {
  db = await openTestDb();
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('the fourteen dumps are all there', { skip: DIR === undefined && 'the shared test data is not beside the project' }, () => {
  assert.equal(DUMPS.length, 14);
});

for (const file of DUMPS) {
  test(`${file} loads unedited and equals the plain client's load of a MariaDB-edited copy`, async () => {
    const path = join(DIR!, file);
    const n = file.slice(0, 2);
    const ours = `${prefix}o${n}`;
    const theirs = `${prefix}p${n}`;
    const r = await loadFile(db, path, ours, { metaSchema: meta, withRoutines: true });
    assert.deepEqual(r.refused, [], 'nothing refused');
    for (const m of r.collationMappings) assert.equal(m.to, COLLATIONS[m.from], `mapping of ${m.from}`);
    await createSchema(db, theirs);
    await db.exec(`ALTER DATABASE ${quoteIdent(theirs)} CHARACTER SET utf8mb4`);
    const plain = plainClient(theirs, editForMariadb(readFileSync(path)));
    assert.ok(plain.ok, `the plain client loads the edited copy: ${plain.stderr}`);
    const mine = await checksums(db, ours);
    assert.ok(Object.keys(mine).length > 0);
    assert.deepEqual(mine, await checksums(db, theirs));
    assert.deepEqual(await objectsOf(db, ours), await objectsOf(db, theirs));
  });
}
