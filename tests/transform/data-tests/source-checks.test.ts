import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { qualified, quoteIdent } from '../../../actions/platform/db.ts';
import { runSourceChecks, type SourceCheck } from '../../../actions/transform/data-tests/source-checks.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../../helpers/db.ts';

const prefix = testPrefix('srccheck');
const schema = `${prefix}staging`;
const dbPromise = openTestDb(2);
const asOf = new Date('2026-02-05T00:00:00Z');

before(async () => {
  const db = await dbPromise;
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.exec(`CREATE TABLE ${qualified(schema, 'movings')} (id INT, updated_at DATETIME)`);
  await db.exec(
    `INSERT INTO ${qualified(schema, 'movings')} VALUES (1, '2026-01-30 10:00:00'), (2, '2026-02-04 18:00:00'), (3, '2026-02-09 00:00:00')`,
  );
  await db.exec(`CREATE TABLE ${qualified(schema, 'empty_one')} (id INT)`);
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const check = (table: string, extra: Partial<SourceCheck> = {}): SourceCheck => ({
  sourceId: `source.p.staging.${table}`,
  relation: { schema, table },
  notEmpty: false,
  file: 'models/sources.yml',
  line: 4,
  ...extra,
});
const byKind = (rs: Awaited<ReturnType<typeof runSourceChecks>>) => Object.fromEntries(rs.map((r) => [r.unique_id.split('.')[1], r]));

test('a declared source table that does not exist fails, naming it', async () => {
  const db = await dbPromise;
  const r = byKind(await runSourceChecks(db, check('gone'), asOf));
  assert.equal(r.exists!.status, 'fail');
  assert.match(r.exists!.message!, /does not exist/);
  assert.equal(r.exists!.file, 'models/sources.yml');
});

test('an empty table fails only where it is declared not empty', async () => {
  const db = await dbPromise;
  assert.equal(byKind(await runSourceChecks(db, check('empty_one', { notEmpty: true }), asOf)).not_empty!.status, 'fail');
  assert.equal(byKind(await runSourceChecks(db, check('empty_one'), asOf)).not_empty, undefined);
  assert.equal(byKind(await runSourceChecks(db, check('movings', { notEmpty: true }), asOf)).not_empty!.status, 'pass');
});

test('freshness is judged against the as-of time, with a filter excluding future rows', async () => {
  const db = await dbPromise;
  const fresh = {
    loadedAtField: 'updated_at',
    warnAfter: { count: 3, period: 'hour' as const },
    errorAfter: { count: 3, period: 'day' as const },
    filter: "updated_at <= '2026-02-05'",
  };
  const pass = byKind(
    await runSourceChecks(db, check('movings', { freshness: { ...fresh, warnAfter: { count: 1, period: 'day' } } }), asOf),
  );
  assert.equal(pass.freshness!.status, 'pass', pass.freshness!.message!);
  const warn = byKind(await runSourceChecks(db, check('movings', { freshness: fresh }), asOf));
  assert.equal(warn.freshness!.status, 'warn');
  assert.match(warn.freshness!.message!, /6\.0 hours before 2026-02-05 00:00:00 \(warn_after 3 hours\)/);
  const later = byKind(await runSourceChecks(db, check('movings', { freshness: fresh }), new Date('2026-02-09T00:00:00Z')));
  assert.equal(later.freshness!.status, 'fail', 'a rerun days later judges against its own as-of');
  assert.match(later.freshness!.message!, /error_after 3 days/);
  const bad = byKind(await runSourceChecks(db, check('movings', { freshness: { ...fresh, loadedAtField: 'nope' } }), asOf));
  assert.equal(bad.freshness!.status, 'error');
  assert.match(bad.freshness!.message!, /nope/);
});
