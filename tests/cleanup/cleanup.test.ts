import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { makeProject, PIPELINE_YML } from './project.ts';

const P = testPrefix('cleanup');
let db: Db;
let project: string;

/** CHECKSUM TABLE of every table of a schema, by table name. */
async function checksums(schema: string): Promise<Record<string, string>> {
  const tables = await db.query<{ t: string }>(
    "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    [schema],
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [r] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(schema, t)}`);
    out[t] = String(r!.Checksum);
  }
  return out;
}

async function create(sql: string[]) {
  await db.withSession(async (s) => {
    // Legacy data is whatever the old system left, zero dates included.
    await s.exec("SET SESSION sql_mode = ''");
    for (const q of sql) await s.exec(q);
  });
}

before(async () => {
  db = await openTestDb(4);
  project = makeProject();
  const g = (t: string) => qualified(`${P}_gold`, t);
  await create([
    `CREATE DATABASE ${quoteIdent(`${P}_gold`)}`,
    `CREATE TABLE ${g('summary')} (id INT PRIMARY KEY, name VARCHAR(40), rent DECIMAL(10,2), ratio DOUBLE, photo BLOB, at DATETIME(3), note TEXT) DEFAULT CHARSET=utf8mb4`,
    `INSERT INTO ${g('summary')} VALUES
      (1, '山田 太郎', 85000.00, 0.1, x'00ff1a27', '2026-02-05 10:53:12.345', 'line1\\nline2 \\'quoted\\' back\\\\slash'),
      (2, NULL, NULL, NULL, NULL, '0000-00-00 00:00:00', ''),
      (3, 'O''Brien 🏠', -1.50, 1e-300, '', '2026-01-01 00:00:00', '; -- not a comment /* nor this */')`,
    `CREATE TABLE ${g('log')} (seq INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))`,
    `INSERT INTO ${g('log')} (v) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 700) SELECT CONCAT('row ', i) FROM n`,
    `CREATE TABLE ${g('nokey')} (v VARCHAR(5))`,
    `INSERT INTO ${g('nokey')} VALUES ('a'), ('a'), (NULL)`,
    `CREATE VIEW ${g('big_rent')} AS SELECT id, rent FROM ${g('summary')} WHERE rent > 0`,
    `CREATE DATABASE ${quoteIdent(`${P}basis`)}`,
    `CREATE TABLE ${qualified(`${P}basis`, 'tenants')} (id INT PRIMARY KEY)`,
    `CREATE TABLE ${qualified(`${P}basis`, 'rooms')} (id INT PRIMARY KEY)`,
    `CREATE DATABASE ${quoteIdent(`${P}gold`)}`,
    `CREATE TABLE ${qualified(`${P}gold`, 'moveouts')} (id INT PRIMARY KEY)`,
    `INSERT INTO ${qualified(`${P}gold`, 'moveouts')} VALUES (1)`,
    `CREATE DATABASE ${quoteIdent(`${P}mystery`)}`,
    `CREATE TABLE ${qualified(`${P}mystery`, 'x')} (id INT PRIMARY KEY)`,
    `INSERT INTO ${qualified(`${P}mystery`, 'x')} VALUES (1)`,
  ]);
});

after(async () => {
  await dropSchemasWithPrefix(db, P);
  await db.close();
  rmSync(project, { recursive: true, force: true });
});

const cli = (...args: string[]) => runPipelineInProcess(['cleanup', '--schema-prefix', P, '--project-dir', project, ...args]);

test('a dry run reports what it would do and changes nothing', async () => {
  const before = await schemasWithPrefix(db, P);
  const sums = await checksums(`${P}_gold`);
  const r = await cli();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /DRY RUN, nothing was changed/);
  assert.match(
    r.stdout,
    new RegExp(`\\| ${P}_gold \\| Left by the old dbt schema-naming bug \\| 3 \\| 1 \\| 706 \\| would archive, verify and drop \\|`),
  );
  assert.match(r.stdout, new RegExp(`\\| ${P}analytics \\| .* \\| skipped: not on the server`));
  // The unknown schema it keeps comes with its evidence, so nobody investigates it by hand.
  assert.match(
    r.stdout,
    new RegExp(
      `## Unknown schemas: the evidence\\n\\n### \`${P}mystery\` \\(unknown\\)\\n\\n- \\*\\*What made it:\\*\\* no table or schema name says\\.`,
    ),
  );
  assert.match(
    r.stdout,
    /- \*\*Verdict:\*\* origin unknown \(no name says what made it\); nothing refers to it; not safe to drop: written \d{4}-\d\d-\d\d, within the last 30 days\./,
  );
  assert.deepEqual(await schemasWithPrefix(db, P), before);
  assert.deepEqual(await checksums(`${P}_gold`), sums);
  assert.equal(existsSync(join(project, 'target', 'archive')), false, 'no archive written');
});

test('--no-archive is refused while a legacy schema holds rows, and nothing is dropped', async () => {
  const before = await schemasWithPrefix(db, P);
  const r = await cli('--apply', '--no-archive');
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`--no-archive is refused: ${P}_gold holds 706 rows\\. To fix this, run without --no-archive`));
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.deepEqual(await schemasWithPrefix(db, P), before);
});

test('a legacy list naming an active schema is refused', async () => {
  const conflicting = makeProject(PIPELINE_YML.replace('    analytics: "Superseded by gold"', '    gold: "oops"'));
  try {
    const r = await runPipelineInProcess(['cleanup', '--apply', '--schema-prefix', P, '--project-dir', conflicting]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`cleanup\\.legacy in pipeline\\.yml lists ${P}gold, which the pipeline uses`));
    assert.ok((await schemasWithPrefix(db, P)).includes(`${P}gold`));
  } finally {
    rmSync(conflicting, { recursive: true, force: true });
  }
});

test('--apply archives, verifies and drops legacy schemas only; the archive restores them exactly with the mariadb client', async () => {
  const sums = await checksums(`${P}_gold`);
  const r = await cli('--apply');
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const left = await schemasWithPrefix(db, P);
  assert.ok(!left.includes(`${P}_gold`) && !left.includes(`${P}basis`), left.join(','));
  assert.ok(left.includes(`${P}gold`) && left.includes(`${P}mystery`), 'active and unknown schemas are kept');
  assert.match(
    r.stdout,
    new RegExp(
      `\\| ${P}_gold \\| .* \\| dropped \\| .*${P}_gold_\\d{8}T\\d{6}Z\\.sql\\.gz \\(.*, 706 rows verified\\) \\| \\d+\\.\\d KB → 0 B \\|`,
    ),
  );
  const reclaimed = /Space reclaimed: ([\d.]+) KB, measured before and after each drop \(tablespace files\)/.exec(r.stdout);
  assert.ok(reclaimed && Number(reclaimed[1]) > 0, r.stdout);
  assert.match(r.stdout, /Never dropped: \d+ active, 4 system, \d+ unknown/);

  const files = readdirSync(join(project, 'target', 'archive'));
  const gold = files.find((f) => f.startsWith(`${P}_gold_`))!;
  assert.ok(gold.endsWith('.sql.gz') && files.some((f) => f.startsWith(`${P}basis_`)), files.join(','));
  assert.ok(!files.some((f) => f.endsWith('.partial')));

  // The plain client, as an operator would restore it.
  const restoreInto = `${P}_gold`;
  execFileSync('mariadb', ['-h127.0.0.1', '-uroot', '-e', `CREATE DATABASE ${quoteIdent(restoreInto)}`]);
  execFileSync('bash', [
    '-c',
    `gunzip -c "$1" | mariadb -h127.0.0.1 -uroot "$2"`,
    'restore',
    join(project, 'target', 'archive', gold),
    restoreInto,
  ]);
  assert.deepEqual(await checksums(restoreInto), sums);
  const [view] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(restoreInto, 'big_rent')}`);
  assert.equal(Number(view!.n), 1);
});

test('an empty legacy schema may be dropped with --no-archive', async () => {
  await db.exec(`CREATE DATABASE ${quoteIdent(`${P}analytics`)}`);
  await db.exec(`CREATE TABLE ${qualified(`${P}analytics`, 'empty_one')} (id INT)`);
  await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(`${P}_gold`)}`);
  const r = await cli('--apply', '--no-archive');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`\\| ${P}analytics \\| Superseded by gold \\| 1 \\| 0 \\| 0 \\| dropped \\|  \\|`));
  assert.ok(!(await schemasWithPrefix(db, P)).includes(`${P}analytics`));
});
