import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { qualified, quoteIdent } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { copyProject, editFile, execAll, STAGING_SQL } from './wap-fixture.ts';

const prefix = testPrefix('testcmd');
const dbPromise = openTestDb(2);
const env = { PIPELINE_SCHEMA_PREFIX: prefix };
const s = (name: string) => `${prefix}${name}`;

before(async () => {
  const db = await dbPromise;
  // A published warehouse, as a build would leave it.
  await execAll(db, [
    ...STAGING_SQL(s('staging')),
    `CREATE DATABASE ${quoteIdent(s('seeds'))}`,
    `CREATE TABLE ${qualified(s('seeds'), 'code_contract_type')} (code INT, name_en VARCHAR(20), tenant_type VARCHAR(20))`,
    `INSERT INTO ${qualified(s('seeds'), 'code_contract_type')} VALUES (1,'individual','individual'),(2,'corporate','corporate'),(3,'student','individual')`,
    `CREATE DATABASE ${quoteIdent(s('silver'))}`,
    `CREATE VIEW ${qualified(s('silver'), 'stg_movings')} AS SELECT id, tenant_id, contract_type, rent, contract_date, cancel_flag FROM ${qualified(s('staging'), 'movings')}`,
    `CREATE TABLE ${qualified(s('silver'), 'int_contracts')} AS SELECT m.id, m.tenant_id, m.rent, m.contract_date, COALESCE(c.tenant_type, 'unknown') AS tenant_type
       FROM ${qualified(s('silver'), 'stg_movings')} m LEFT JOIN ${qualified(s('seeds'), 'code_contract_type')} c ON c.code = m.contract_type WHERE m.cancel_flag = 0`,
    `CREATE DATABASE ${quoteIdent(s('gold'))}`,
    `CREATE TABLE ${qualified(s('gold'), 'contracts_by_type')} AS SELECT tenant_type, COUNT(*) AS contracts, SUM(rent) AS rent FROM ${qualified(s('silver'), 'int_contracts')} GROUP BY tenant_type`,
  ]);
});

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

function results(dir: string): RunResults {
  return JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;
}

test('test passes on good data, warns on the warn-severity relationships test, and writes results', async () => {
  const dir = copyProject();
  const r = await runPipelineInProcess(['test', '--project-dir', dir], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /PASS=\d+ WARN=1 ERROR=0 SKIP=0/);
  const rr = results(dir);
  const rel = rr.results.find((x) => x.unique_id.includes('relationships_int_contracts'))!;
  assert.equal(rel.status, 'warn');
  assert.equal(rel.failures, 1);
  assert.equal(Number(rel.samples![0]!.from_field), 99);
  assert.equal(rel.file, 'models/silver/silver.yml');
  assert.equal(rel.line, 16);
  const fresh = rr.results.find((x) => x.unique_id === 'source_check.freshness.wap.staging.movings')!;
  assert.equal(fresh.status, 'pass', 'as_of_date is the dump date, not today');
  assert.ok(rr.results.some((x) => x.unique_id === 'test.wap.assert_no_future_contracts' && x.status === 'pass'));
  assert.ok(
    rr.results.some((x) => x.unique_id.startsWith('test.wap.is_positive_int_contracts_rent') && x.status === 'pass'),
    'custom test macro ran',
  );
  assert.ok(existsSync(join(dir, 'target', 'compiled', 'wap', 'models', 'silver', `${rel.unique_id.split('.')[2]}.sql`)));
});

test('a failing error-severity test exits 1 and reports rows, samples and the declaring line', async () => {
  const dir = copyProject();
  editFile(dir, 'macros/is_positive.sql', (t) => t.replace('<= 0', '<= 50000'));
  const r = await runPipelineInProcess(['test', '--project-dir', dir], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /FAIL test\.wap\.is_positive_int_contracts_rent\.\w+ \(2 failing rows\) \[models\/silver\/silver\.yml:11\]/);
  assert.match(r.stdout, /sample rows:\n\s+id=1, tenant_id=10, rent=50000/);
  assert.equal(results(dir).status, 'error');
});

test('freshness past error_after fails the run; a stale warn only warns', async () => {
  const dir = copyProject();
  const late = await runPipelineInProcess(['test', '--project-dir', dir, '--vars', "{as_of_date: '2026-03-20'}"], env);
  assert.equal(late.code, 1);
  assert.match(late.stdout, /FAIL source_check\.freshness\.wap\.staging\.movings.*\n.*error_after 30 days/);
  const warn = await runPipelineInProcess(['test', '--project-dir', dir, '--vars', "{as_of_date: '2026-02-10'}"], env);
  assert.match(warn.stdout, /WARN source_check\.freshness\.wap\.staging\.movings/);
});

test('a test on a missing column, accepted_values without values and an unknown relationships target are project errors (exit 2)', async () => {
  const dir = copyProject();
  editFile(dir, 'models/gold/gold.yml', (t) => t.replace('- name: tenant_type', '- name: tenant_kind'));
  editFile(dir, 'seeds/seeds.yml', (t) => t.replace('values: [individual, corporate]', 'values: []'));
  const r = await runPipelineInProcess(['test', '--project-dir', dir], env);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /seeds\/seeds\.yml:9: .*accepted_values needs a non-empty list of values/);
  const dir2 = copyProject();
  editFile(dir2, 'models/gold/gold.yml', (t) => t.replace('- name: tenant_type', '- name: tenant_kind'));
  const r2 = await runPipelineInProcess(['test', '--project-dir', dir2], env);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /models\/gold\/gold\.yml:6: test '.*' is on the column 'tenant_kind', which .*contracts_by_type does not have/);
  const dir3 = copyProject();
  editFile(dir3, 'models/silver/silver.yml', (t) => t.replace("source('staging', 'tenants')", "ref('tenants_typo')"));
  const r3 = await runPipelineInProcess(['test', '--project-dir', dir3], env);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /tenants_typo/);
  const dir4 = copyProject();
  editFile(dir4, 'models/silver/silver.yml', (t) => t.replace('- is_positive:', '- is_postive:'));
  const r4 = await runPipelineInProcess(['test', '--project-dir', dir4], env);
  assert.equal(r4.code, 2);
  assert.match(r4.stderr, /models\/silver\/silver\.yml:11: test '.*': 'is_postive' is not a known test\. .*custom tests: is_positive/);
});

test('a test whose query the server rejects is an error result, not a crash', async () => {
  const dir = copyProject();
  editFile(dir, 'tests/data/assert_no_future_contracts.sql', (t) => t.replace("tenant_type = 'never'", 'no_such_column = 1'));
  const r = await runPipelineInProcess(['test', '--project-dir', dir], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /ERROR test\.wap\.assert_no_future_contracts/);
  assert.match(r.stdout, /Unknown column 'no_such_column'/);
});

test('where and error_if from YAML: a filtered test passes, a threshold turns a failure into a warning', async () => {
  const dir = copyProject();
  editFile(dir, 'models/silver/silver.yml', (t) =>
    t.replace(
      '      - name: tenant_type\n',
      [
        '      - name: tenant_id',
        '        tests:',
        '          - accepted_values:',
        '              name: tenants_known_where_filtered',
        '              values: [10, 11, 12]',
        '              quote: false',
        "              config: {where: 'tenant_id < 50'}",
        '          - accepted_values:',
        '              name: tenants_known_threshold',
        '              values: [10, 11, 12]',
        '              quote: false',
        "              config: {error_if: '>1', warn_if: '>=1'}",
        '      - name: tenant_type',
        '',
      ].join('\n'),
    ),
  );
  const r = await runPipelineInProcess(['test', '--project-dir', dir], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rr = results(dir);
  assert.equal(rr.results.find((x) => x.unique_id.startsWith('test.wap.tenants_known_where_filtered'))!.status, 'pass');
  const th = rr.results.find((x) => x.unique_id.startsWith('test.wap.tenants_known_threshold'))!;
  assert.equal(th.status, 'warn');
  assert.equal(th.failures, 1);
});
