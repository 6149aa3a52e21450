/**
 * The stage actions run the way the runner runs them (see run-action.ts) against the real server:
 * outputs, job summary, annotations, masking, and the refusals that protect production.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDatabaseUrl, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';
import { runAction } from './run-action.ts';

const prefix = testPrefix('actions');
const source = `${prefix}src`;
const dir = mkdtempSync(join(tmpdir(), 'stage-actions-'));
const dumpFile = join(dir, 'gghouse_20260205.sql');
const user = `t_act_${randomBytes(3).toString('hex')}`;
const password = `pw-${randomBytes(8).toString('hex')}!`;
let db: Db;

before(async () => {
  db = await openTestDb(2);
  await db.exec(`CREATE DATABASE ${quoteIdent(source)}`);
  await db.exec(`CREATE TABLE ${quoteIdent(source)}.tenants (id INT PRIMARY KEY, name VARCHAR(50), note TEXT)`);
  await db.exec(`INSERT INTO ${quoteIdent(source)}.tenants VALUES (1, '山田', 'a;b'), (2, 'O''Brien', NULL), (3, 'emoji 🏠', '\\\\')`);
  await db.exec(`CREATE TABLE ${quoteIdent(source)}.rooms (id INT PRIMARY KEY, apartment_id INT)`);
  await db.exec(`INSERT INTO ${quoteIdent(source)}.rooms VALUES (10, 1), (11, 1)`);
  const s = parseDatabaseUrl(TEST_DATABASE_URL);
  const dump = execFileSync(
    'mariadb-dump',
    ['--protocol=tcp', `-h${s.host}`, `-P${s.port}`, `-u${s.user}`, ...(s.password ? [`-p${s.password}`] : []), '--skip-comments', source],
    { encoding: 'utf8' },
  );
  // --skip-comments drops the trailer the loader checks for a complete dump; put it back.
  writeFileSync(dumpFile, `${dump}\n-- Dump completed on 2026-02-05  1:00:00\n`);
  // A user with a password, to run an action the way production runs with the password fallback.
  await db.exec(`CREATE USER ${quoteIdent(user)}@'127.0.0.1' IDENTIFIED BY ?`.replace('?', `'${password}'`));
  await db.exec(`GRANT ALL PRIVILEGES ON ${quoteIdent(`${prefix.replace(/_/g, '\\_')}%`)}.* TO ${quoteIdent(user)}@'127.0.0.1'`);
});

after(async () => {
  await db.exec(`DROP USER IF EXISTS ${quoteIdent(user)}@'127.0.0.1'`).catch(() => {});
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the load action loads a dump into staging and reports tables, rows, and a summary', async () => {
  const target = join(dir, 'load');
  const r = await runAction('load', { dump: dumpFile, 'schema-prefix': prefix, 'target-dir': target });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.status, 'success');
  assert.equal(r.outputs['tables-loaded'], '2');
  assert.equal(r.outputs['rows-loaded'], '5');
  assert.equal(r.outputs['refused-statements'], '0');
  assert.equal(r.outputs['run-results-path'], join(target, 'run_results.json'));
  assert.equal(r.summary, '', "the job summary is the report step's: status and failures once");
  assert.match(r.stdout, /::group::pipeline load/);
  const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(`${prefix}staging`)}.tenants`);
  assert.equal(Number(rows[0]!.n), 3);
});

test('a second load of the same dump skips the unchanged tables, and says so in its outputs', async () => {
  const r = await runAction('load', { dump: dumpFile, 'schema-prefix': prefix, 'target-dir': join(dir, 'load2') });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs['tables-unchanged'], '2');
  assert.equal(r.outputs['tables-loaded'], '0');
});

test('a truncated dump fails the step with one clear error, staging unchanged', async () => {
  const truncated = join(dir, 'truncated.sql');
  const text = readFileSync(dumpFile, 'utf8');
  writeFileSync(truncated, text.slice(0, text.indexOf('-- Dump completed')));
  const r = await runAction('load', { dump: truncated, 'schema-prefix': prefix, 'target-dir': join(dir, 'bad') });
  assert.equal(r.code, 1);
  assert.equal(r.outputs.status, 'failed');
  assert.equal(r.outputs['exit-code'], '1');
  assert.match(r.stdout, /^::error::.*(truncat|Dump completed)/im);
  assert.equal(r.summary, '', 'the failure is in the run results, which the report step renders');
  const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(`${prefix}staging`)}.tenants`);
  assert.equal(Number(rows[0]!.n), 3);
});

test('with a database host, user and password secret the action connects with them, and the password is masked', async () => {
  const s = parseDatabaseUrl(TEST_DATABASE_URL);
  const r = await runAction(
    'load',
    {
      dump: dumpFile,
      'schema-prefix': prefix,
      'target-dir': join(dir, 'pw'),
      'database-host': s.host,
      'database-port': String(s.port),
      'database-user': user,
      'database-password': password,
    },
    { DATABASE_URL: 'mysql://nobody@127.0.0.1:1', AWS_SESSION_TOKEN: 'session-token-of-the-oidc-role' },
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(r.stdout.includes(`::add-mask::${password}`), 'the password is masked');
  assert.ok(r.stdout.includes('::add-mask::session-token-of-the-oidc-role'), 'and the AWS session token');
  assert.ok(r.stdout.includes(`::add-mask::${encodeURIComponent(password)}`), 'and its URL-encoded form');
  const elsewhere =
    r.stdout.replace(/^::add-mask::.*$/gm, '') + r.stderr + r.summary + readFileSync(join(dir, 'pw', 'run_results.json'), 'utf8');
  assert.ok(!elsewhere.includes(password) && !elsewhere.includes(encodeURIComponent(password)), 'the password appears nowhere else');
});

test('a wrong password fails the step naming the user and host, never the password', async () => {
  const r = await runAction('load', {
    dump: dumpFile,
    'schema-prefix': prefix,
    'target-dir': join(dir, 'pw2'),
    'database-host': '127.0.0.1',
    'database-user': user,
    'database-password': 'wrong-password-123',
  });
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`::error::the database at ${user}@127\\.0\\.0\\.1:3306 refused the user or password`));
  assert.ok(!r.stdout.replace(/^::add-mask::.*$/gm, '').includes('wrong-password-123'));
});

test('IAM authentication to a local host without TLS is refused before connecting', async () => {
  const r = await runAction('load', {
    dump: dumpFile,
    'database-host': '127.0.0.1',
    'database-user': 'etl',
    'database-auth': 'iam',
    'target-dir': join(dir, 'iam'),
  });
  assert.equal(r.code, 2);
  assert.match(r.stdout, /::error::IAM authentication sends its token in clear text inside the connection, so it needs TLS/);
});

test('the seed action loads the project seeds and sets the seed count', async () => {
  const r = await runAction('seed', {
    'project-dir': 'tests/fixtures/wap-project',
    'schema-prefix': prefix,
    'target-dir': join(dir, 'seed'),
  });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs['seeds-loaded'], '1');
  assert.equal(r.summary, '');
  const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(`${prefix}seeds`)}.code_contract_type`);
  assert.ok(Number(rows[0]!.n) > 0);
});

test('a malformed input fails the step with exit 2 and names the input', async () => {
  const r = await runAction('seed', { 'full-refresh': 'maybe', 'target-dir': join(dir, 'x') });
  assert.equal(r.code, 2);
  assert.match(r.stdout, /::error::input 'full-refresh' is 'maybe': expected true or false/);
});

for (const [action, inputs] of [
  ['cleanup', {}],
  ['rollback', { action: 'restore', latest: 'true' }],
] as const) {
  test(`${action} with dry-run false but without the confirmation is refused and changes nothing`, async () => {
    const r = await runAction(action, { ...inputs, 'dry-run': 'false', confirm: 'yes please', 'target-dir': join(dir, action) });
    assert.equal(r.code, 2);
    assert.match(
      r.stdout,
      /::error::.*needs the confirmation: type 'apply' in the confirm input \(got 'yes please'\)\. Nothing was changed\./,
    );
  });
}

test('cleanup as a dry run lists what it would archive and drop in the job summary, and drops nothing', async () => {
  await db.exec(`CREATE DATABASE ${quoteIdent(`${prefix}basis`)}`);
  await db.exec(`CREATE TABLE ${quoteIdent(`${prefix}basis`)}.t (a INT)`);
  await db.exec(`INSERT INTO ${quoteIdent(`${prefix}basis`)}.t VALUES (1), (2)`);
  await db.exec(`CREATE DATABASE ${quoteIdent(`${prefix}_gold`)}`);
  const r = await runAction('cleanup', { 'schema-prefix': prefix, 'target-dir': join(dir, 'cleanup-dry') });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.status, 'success');
  assert.match(r.summary, /^### pipeline cleanup\n/);
  assert.match(r.summary, new RegExp(`\\| ${prefix}basis \\| .* \\| 1 \\| 0 \\| 2 \\| would archive, verify and drop \\|`));
  assert.match(r.summary, new RegExp(`\\| ${prefix}_gold \\| .* \\| would drop \\|`));
  const left = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?)', [
    `${prefix}basis`,
    `${prefix}_gold`,
  ]);
  assert.equal(Number(left[0]!.n), 2);
});

test('cleanup with dry-run false and confirm apply but a local archive directory is refused: nothing dropped', async () => {
  const r = await runAction('cleanup', {
    'schema-prefix': prefix,
    'target-dir': join(dir, 'cleanup-apply'),
    'dry-run': 'false',
    confirm: 'apply',
    'archive-to': join(dir, 'archive'),
  });
  assert.equal(r.code, 2, r.stdout);
  assert.match(
    r.stdout,
    /::error::cleanup with confirm 'apply' needs a durable archive, and archive-to is '.*archive': a directory on the runner is deleted with it\. To fix this, set archive-to to s3:\/\/bucket\/prefix\//,
  );
  const left = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?)', [
    `${prefix}basis`,
    `${prefix}_gold`,
  ]);
  assert.equal(Number(left[0]!.n), 2);
});
