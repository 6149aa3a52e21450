import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeDb, openDb, parseDatabaseUrl, quoteIdent, qualified } from '../../actions/platform/db.ts';
import { redact, registerSecret, clearSecrets } from '../../actions/platform/secrets.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { openTestDb } from '../helpers/db.ts';

test('quoteIdent doubles backticks so no name can break out of its quotes', () => {
  assert.equal(quoteIdent('plain'), '`plain`');
  assert.equal(quoteIdent('we`ird; DROP DATABASE x; --'), '`we``ird; DROP DATABASE x; --`');
  assert.equal(qualified('s', 't`'), '`s`.`t```');
  assert.throws(() => quoteIdent(''));
});

test('a hostile table name round-trips through the real server', async () => {
  const db = await openTestDb(1);
  try {
    const [row] = await db.query<{ v: string }>(
      `SELECT 'ok' AS ${quoteIdent('v')} FROM (SELECT 1 AS ${quoteIdent('a`b')}) AS ${quoteIdent('x`; DROP')}`,
    );
    assert.equal(row!.v, 'ok');
  } finally {
    await db.close();
  }
});

test('DATABASE_URL parsing: defaults, TLS for remote hosts, password never described', () => {
  const local = parseDatabaseUrl('mysql://root@127.0.0.1:3306');
  assert.equal(local.ssl, 'off');
  assert.equal(local.database, undefined);
  const remote = parseDatabaseUrl('mysql://etl:s%40cret@db.example.internal:3306/tokyobeta');
  assert.equal(remote.ssl, 'required');
  assert.equal(remote.password, 's@cret');
  assert.equal(remote.database, 'tokyobeta');
  assert.equal(describeDb(remote), 'etl@db.example.internal:3306');
  assert.throws(() => parseDatabaseUrl('mysql://a:b@remote.host/x?ssl=off'), /TLS is required/);
  assert.throws(() => parseDatabaseUrl('postgres://x'), /must start with mysql:\/\//);
});

test('redact hides registered secrets and URL passwords', () => {
  clearSecrets();
  registerSecret('s@cret-pw');
  assert.equal(
    redact('connect mysql://etl:zzz@h:1 failed with s@cret-pw and s%40cret-pw'),
    'connect mysql://etl:***@h:1 failed with *** and ***',
  );
});

test('the schema prefix applies to every schema, and shadows follow it', () => {
  const s = createSchemas(
    { schema: 'tokyobeta', staging: { schema: 'staging' }, metaSchema: 'pipeline_meta', auditSchema: 'pipeline_audit' },
    'pr42_',
  );
  assert.equal(s.staging, 'pr42_staging');
  assert.equal(s.meta, 'pr42_pipeline_meta');
  assert.equal(s.physical('gold'), 'pr42_gold');
  assert.equal(s.shadow('gold'), 'pr42_gold__shadow');
  assert.equal(s.defaultSchema, 'pr42_tokyobeta');
  assert.throws(() => createSchemas({ schema: 'x', staging: { schema: 's' }, metaSchema: 'm', auditSchema: 'a' }, 'bad prefix'));
});

test('a server that does not answer gives one line that says what to do', async () => {
  await assert.rejects(
    openDb(parseDatabaseUrl('mysql://root@127.0.0.1:1')),
    /cannot reach the database at root@127\.0\.0\.1:1 \(ECONNREFUSED\)\. To fix this/,
  );
});

test('every connection gets the session settings (utf8mb4, UTC, MySQL 8 sql_mode)', async () => {
  const db = await openTestDb(2);
  try {
    const [row] = await db.query<Record<string, string>>(
      'SELECT @@session.time_zone AS tz, @@character_set_connection AS cs, @@session.sql_mode AS mode',
    );
    assert.equal(row!.tz, '+00:00');
    assert.equal(row!.cs, 'utf8mb4');
    assert.match(row!.mode, /ONLY_FULL_GROUP_BY/);
    assert.match(row!.mode, /NO_ZERO_DATE/);
  } finally {
    await db.close();
  }
});

test('a lost connection or a missing grant that escapes a stage is explained, not reported as a bug', async () => {
  const { explainDbFailure } = await import('../../actions/platform/db.ts');
  const db = await openTestDb(2);
  try {
    const lost = await db.withSession(async (s) => {
      await db.exec(`KILL CONNECTION ${s.threadId}`);
      return s.query('SELECT 1').then(
        () => undefined,
        (e: unknown) => e,
      );
    });
    assert.match(explainDbFailure(lost)!.message, /^lost the database connection .*To fix this, check that the server is up/);
    const denied = Object.assign(new Error("Access denied for user 'x'@'%' to database 'gold'"), { code: 'ER_DBACCESS_DENIED_ERROR' });
    assert.match(explainDbFailure(denied)!.message, /not allowed to do this \(Access denied .* To fix this, grant the user rights/);
    assert.equal(explainDbFailure(new TypeError('x is undefined')), undefined, 'a bug stays a bug');
  } finally {
    await db.close();
  }
});
