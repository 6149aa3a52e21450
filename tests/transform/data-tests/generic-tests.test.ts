import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import nunjucks from 'nunjucks';
import { qualified, quoteIdent } from '../../../actions/platform/db.ts';
import { acceptedValuesSql, fromItem, notNullSql, relationshipsSql, uniqueSql } from '../../../actions/transform/data-tests/generic-sql.ts';
import { parseThreshold, testStatus, type Threshold } from '../../../actions/transform/data-tests/thresholds.ts';
import { auditTableName, runTest, type CompiledTest } from '../../../actions/transform/data-tests/test-runner.ts';
import { rewriteDbtJinja } from '../../../actions/transform/project/dbt-syntax.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../../helpers/db.ts';

const prefix = testPrefix('generic');
const schema = `${prefix}silver`;
const audit = `${prefix}audit`;
const dbPromise = openTestDb(4);
const rel = { schema, table: 'contracts' };
const from = fromItem(rel);

const th = (s: string): Threshold => {
  const t = parseThreshold(s);
  if (typeof t === 'string') throw new Error(t);
  return t;
};

function makeTest(name: string, sql: string, extra: Partial<CompiledTest> = {}): CompiledTest {
  return {
    uniqueId: `test.p.${name}`,
    name,
    sql,
    severity: 'error',
    warnIf: th('!=0'),
    errorIf: th('!=0'),
    storeFailures: false,
    file: 'models/x.yml',
    line: 7,
    ...extra,
  };
}

before(async () => {
  const db = await dbPromise;
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.exec(`CREATE TABLE ${qualified(schema, 'contracts')} (id INT, tenant_id INT, tenant_type VARCHAR(20), rent INT)`);
  await db.exec(`INSERT INTO ${qualified(schema, 'contracts')} VALUES
    (1, 10, 'individual', 50000), (2, 11, 'corporate', 60000), (3, 99, 'individual', 0),
    (4, NULL, 'unknown', 70000), (4, 10, 'robot', 80000), (5, 12, NULL, 90000)`);
  await db.exec(`CREATE TABLE ${qualified(schema, 'tenants')} (id INT PRIMARY KEY)`);
  await db.exec(`INSERT INTO ${qualified(schema, 'tenants')} VALUES (10), (11), (12)`);
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('thresholds parse as dbt writes them and decide the status', () => {
  assert.equal(typeof parseThreshold('>= x'), 'string');
  assert.equal(typeof parseThreshold('10'), 'string');
  const c = (sev: 'error' | 'warn', warnIf: string, errorIf: string) => ({ severity: sev, warnIf: th(warnIf), errorIf: th(errorIf) });
  assert.equal(testStatus(0, c('error', '!=0', '!=0')), 'pass');
  assert.equal(testStatus(3, c('error', '!=0', '!=0')), 'fail');
  assert.equal(testStatus(3, c('error', '!=0', '>10')), 'warn');
  assert.equal(testStatus(11, c('error', '!=0', '>10')), 'fail');
  assert.equal(testStatus(11, c('warn', '!=0', '>10')), 'warn', 'severity warn never fails');
  assert.equal(testStatus(4, c('error', '>=5', '>10')), 'pass');
  assert.equal(testStatus(5, c('error', '>= 5', '>10')), 'warn');
});

test('unique passes on a unique column and fails with the duplicated values', async () => {
  const db = await dbPromise;
  const pass = await runTest(db, makeTest('unique_tenant_type', uniqueSql(fromItem({ schema, table: 'tenants' }), 'id')), {
    auditSchema: audit,
  });
  assert.equal(pass.status, 'pass');
  assert.equal(pass.failures, 0);
  const fail = await runTest(db, makeTest('unique_id', uniqueSql(from, 'id')), { auditSchema: audit });
  assert.equal(fail.status, 'fail');
  assert.equal(fail.failures, 1);
  assert.equal(fail.samples!.length, 1);
  assert.equal(Number(fail.samples![0]!.unique_field), 4);
  assert.equal(Number(fail.samples![0]!.n_records), 2);
  assert.equal(fail.file, 'models/x.yml');
  assert.equal(fail.line, 7);
  assert.equal(fail.message, 'Got 1 result, configured to fail if !=0');
});

test('not_null fails with the null rows as samples', async () => {
  const db = await dbPromise;
  const r = await runTest(db, makeTest('not_null_tenant_id', notNullSql(from, 'tenant_id')), { auditSchema: audit });
  assert.equal(r.status, 'fail');
  assert.equal(r.failures, 1);
  assert.equal(Number(r.samples![0]!.id), 4);
  assert.equal((await runTest(db, makeTest('not_null_id', notNullSql(from, 'id')), { auditSchema: audit })).status, 'pass');
});

test('accepted_values reports values outside the list, quoted or not', async () => {
  const db = await dbPromise;
  const r = await runTest(db, makeTest('av', acceptedValuesSql(from, 'tenant_type', ['individual', 'corporate', 'unknown'])), {
    auditSchema: audit,
  });
  assert.equal(r.status, 'fail');
  assert.deepEqual(
    r.samples!.map((s) => s.value_field),
    ['robot'],
  );
  const ok = await runTest(db, makeTest('av2', acceptedValuesSql(from, 'tenant_type', ['individual', 'corporate', 'unknown', 'robot'])), {
    auditSchema: audit,
  });
  assert.equal(ok.status, 'pass', 'NULL is not checked, as in dbt');
  const num = await runTest(db, makeTest('av3', acceptedValuesSql(from, 'id', [1, 2, 3, 4, 5], false)), { auditSchema: audit });
  assert.equal(num.status, 'pass');
  assert.match(acceptedValuesSql(from, 'x', ["it's"]), /'it''s'/);
});

test('relationships finds children without a parent', async () => {
  const db = await dbPromise;
  const r = await runTest(db, makeTest('rel', relationshipsSql(from, 'tenant_id', qualified(schema, 'tenants'), 'id')), {
    auditSchema: audit,
  });
  assert.equal(r.status, 'fail');
  assert.equal(r.failures, 1);
  assert.equal(Number(r.samples![0]!.from_field), 99);
});

test('thresholds, severity warn, where and limit change what a failure means', async () => {
  const db = await dbPromise;
  const sql = notNullSql(from, 'tenant_type');
  assert.equal((await runTest(db, makeTest('t1', sql, { errorIf: th('>1') }), { auditSchema: audit })).status, 'warn');
  assert.equal((await runTest(db, makeTest('t2', sql, { severity: 'warn' }), { auditSchema: audit })).status, 'warn');
  assert.equal((await runTest(db, makeTest('t3', sql, { warnIf: th('>5'), errorIf: th('>5') }), { auditSchema: audit })).status, 'pass');
  const filtered = notNullSql(fromItem(rel, 'rent > 0'), 'tenant_type');
  assert.equal(
    (await runTest(db, makeTest('t4', uniqueSql(fromItem(rel, 'tenant_id IS NOT NULL'), 'id')), { auditSchema: audit })).status,
    'pass',
  );
  assert.equal((await runTest(db, makeTest('t5', filtered), { auditSchema: audit })).status, 'fail');
  const limited = await runTest(db, makeTest('t6', notNullSql(fromItem(rel, '1 = 1'), 'id') + ' OR 1 = 1', { limit: 2 }), {
    auditSchema: audit,
  });
  assert.equal(limited.failures, 2, 'limit caps the count');
});

test('store_failures keeps the failing rows in the audit schema, replaced on each run', async () => {
  const db = await dbPromise;
  const t = makeTest('not_null_contracts_tenant_id', notNullSql(from, 'tenant_id'), { storeFailures: true });
  await runTest(db, t, { auditSchema: audit });
  const r = await runTest(db, t, { auditSchema: audit });
  assert.equal(r.failures, 1);
  assert.equal(r.relation, `${audit}.not_null_contracts_tenant_id`);
  const rows = await db.query<{ id: number }>(`SELECT id FROM ${qualified(audit, 'not_null_contracts_tenant_id')}`);
  assert.deepEqual(
    rows.map((x) => Number(x.id)),
    [4],
  );
  assert.equal(auditTableName('x'.repeat(100)).length, 64);
});

test('a test query the server rejects is an error result with the server message', async () => {
  const db = await dbPromise;
  const r = await runTest(db, makeTest('bad', 'SELECT * FROM no_such_schema_here.t;'), { auditSchema: audit });
  assert.equal(r.status, 'error');
  assert.match(r.message!, /no_such_schema_here/);
  assert.equal(r.failures, null);
});

test('a singular test ending in a comment and a semicolon still runs', async () => {
  const db = await dbPromise;
  const r = await runTest(
    db,
    makeTest(
      'singular',
      `SELECT * FROM ${qualified(schema, 'contracts')} WHERE rent <= 0; -- free rent is a bug`.replace('; --', ' -- ') + '\n;',
    ),
    { auditSchema: audit },
  );
  assert.equal(r.status, 'fail');
  assert.equal(r.failures, 1);
});

test('a {% test %} block becomes a callable test_<name> macro, with lines kept', () => {
  const src =
    'x\n{% test is_positive(model, column_name, strict=true) -%}\nselect * from {{ model }} where {{ column_name }} <{% if not strict %}={% endif %} 0\n{%- endtest %}\n';
  const { text } = rewriteDbtJinja(src);
  assert.equal(text.split('\n').length, src.split('\n').length);
  const env = new nunjucks.Environment(null, { autoescape: false });
  const out = env.renderString(`${text}{{ test_is_positive(model='\`s\`.\`t\`', column_name='rent') }}`, {});
  assert.match(out, /select \* from `s`.`t` where rent < 0/);
});
