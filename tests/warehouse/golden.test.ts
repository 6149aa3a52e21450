/**
 * Golden test: the hand-written dump tests/fixtures/golden/gghouse_20260205.sql is loaded, seeded,
 * built and tested, and every gold table must equal the rows written by hand in
 * golden-expected.ts, row for row. The build runs through the plain reference runner
 * (plain-runner.ts: the `mariadb` client, nunjucks, CREATE ... AS), which proves the SQL and the
 * expectations on the real server independently of the engine; and through the daily job itself
 * (`pipeline daily`: load, seed, build, test, publish), which must publish the same rows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';
import * as golden from './golden-expected.ts';
import { loadWithClient, plainRun, plainSchemas, plainSeed, plainTest, type PlainTestResult } from './plain-runner.ts';

export const FIXTURE = join(ROOT, 'tests', 'fixtures', 'golden', 'gghouse_20260205.sql');

/** Every value as the text the server sent (mysql2 returns BIGINT/DECIMAL as strings), NULL as null. */
function normalize(rows: Record<string, unknown>[], columns: string[]): (string | null)[][] {
  return rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c]))));
}

function expected(rows: unknown[][]): (string | null)[][] {
  return rows.map((r) => r.map((v) => (v === null ? null : String(v))));
}

export async function readTable(db: Db, schema: string, table: string, columns: string[], orderBy: string) {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${columns.map(quoteIdent).join(', ')} FROM ${qualified(schema, table)} ORDER BY ${orderBy}`,
  );
  return normalize(rows, columns);
}

/** Checks every gold table (and the pinned silver rows) of a build against the hand-written rows. */
export async function assertGolden(db: Db, schemas: { silver: string; gold: string }): Promise<void> {
  assert.deepEqual(
    await readTable(db, schemas.gold, 'daily_activity_summary', golden.DAILY_ACTIVITY_COLUMNS, 'activity_date, tenant_type'),
    expected(golden.DAILY_ACTIVITY),
  );
  assert.deepEqual(
    await readTable(db, schemas.gold, 'new_contracts', golden.NEW_CONTRACTS_COLUMNS, 'contract_id'),
    expected(golden.NEW_CONTRACTS),
  );
  assert.deepEqual(await readTable(db, schemas.gold, 'moveouts', golden.MOVEOUTS_COLUMNS, 'contract_id'), expected(golden.MOVEOUTS));
  assert.deepEqual(
    await readTable(db, schemas.gold, 'moveout_notices', golden.MOVEOUT_NOTICES_COLUMNS, 'contract_id'),
    expected(golden.MOVEOUT_NOTICES),
  );
  assert.deepEqual(
    await readTable(db, schemas.silver, 'stg_tenants', golden.STG_TENANTS_COLUMNS, 'tenant_id'),
    expected(golden.STG_TENANTS),
  );
}

describe('the golden dump built by the plain reference runner', () => {
  const prefix = testPrefix('whgold');
  const schemas = plainSchemas(prefix);
  const opts = { root: ROOT, prefix, vars: { as_of_date: golden.AS_OF_DATE } };
  let db: Db;
  let tests: PlainTestResult[] = [];
  let seeds: string[] = [];

  before(async () => {
    db = await openTestDb();
    await loadWithClient(FIXTURE, schemas.staging, TEST_DATABASE_URL);
    seeds = await plainSeed(db, opts);
    await plainRun(db, opts, seeds);
    tests = await plainTest(db, opts, seeds);
  });

  after(async () => {
    if (db) {
      await dropSchemasWithPrefix(db, prefix);
      await db.close();
    }
  });

  it('produces exactly the hand-written gold rows and cleaned silver rows', async () => {
    await assertGolden(db, schemas);
  });

  it("keeps the contract of a missing tenant, drops the soft-deleted tenant's, and cleans the dirty values", async () => {
    const contracts = await db.query<{ contract_id: number; has_tenant: number; corporate_name: string | null; tenant_type: string }>(
      `SELECT contract_id, has_tenant, corporate_name, tenant_type FROM ${qualified(schemas.silver, 'int_contracts')} ORDER BY contract_id`,
    );
    assert.equal(contracts.length, 19);
    assert.ok(!contracts.some((c) => c.contract_id === 10), 'contract 10 (soft-deleted tenant) is dropped');
    assert.equal(contracts.find((c) => c.contract_id === 9)?.has_tenant, 0);
    assert.equal(contracts.find((c) => c.contract_id === 7)?.corporate_name, '株式会社テック');
    const [apartment] = await db.query<{ apartment_name: string; closed_on: string | null }>(
      `SELECT apartment_name, closed_on FROM ${qualified(schemas.silver, 'stg_apartments')} WHERE apartment_id = 1`,
    );
    assert.deepEqual(apartment, { apartment_name: 'GGハウス渋谷', closed_on: null });
    const inquiries = await db.query<{ inquiry_id: number; inquiry_at: string | null; channel: string; nationality: string }>(
      `SELECT inquiry_id, inquiry_at, channel, nationality FROM ${qualified(schemas.silver, 'stg_inquiries')} WHERE inquiry_id IN (1, 6, 8) ORDER BY 1`,
    );
    assert.deepEqual(
      inquiries.map((i) => [i.inquiry_at, i.channel, i.nationality]),
      [
        ['2026-02-05 23:30:00', 'web', 'Japan'],
        [null, 'walk-in', 'Japan'],
        ['2026-01-20 12:00:00', 'web', 'Japan'],
      ],
    );
  });

  it('runs at least 76 data tests: every error-severity one passes, and the only warnings are the vendor problems the fixture plants', () => {
    assert.ok(tests.length >= 76, `only ${tests.length} data tests`);
    assert.deepEqual(
      tests.filter((t) => t.status === 'fail'),
      [],
    );
    assert.deepEqual(
      tests
        .filter((t) => t.status === 'warn')
        .map((t) => t.name)
        .sort(),
      [...golden.EXPECTED_WARNINGS].sort(),
    );
  });

  it('catches gold tables that break the business rules (the singular tests can fail)', async () => {
    const gold = (t: string) => qualified(schemas.gold, t);
    // The old system's bug: a planned move-in counted as activity months after the run.
    await db.exec(`INSERT INTO ${gold('daily_activity_summary')} VALUES ('2026-07-01', 'individual', 0, 0, 0, 1, 0)`);
    await db.exec(`DELETE FROM ${gold('moveouts')} WHERE contract_id = 20`);
    await db.exec(`UPDATE ${gold('new_contracts')} SET contract_date = '2026-03-01' WHERE contract_id = 11`);
    await db.exec(
      `INSERT INTO ${gold('moveout_notices')} (contract_id, tenant_id, moveout_notice_date, tenant_type) VALUES (15, 9, '2024-02-05', 'individual')`,
    );
    const failed = (await plainTest(db, opts, seeds)).filter((t) => t.status === 'fail').map((t) => t.name);
    assert.deepEqual(failed.sort(), [
      'daily_activity_not_after_as_of_date',
      'daily_contracts_by_day_match_new_contracts',
      'daily_moveins_add_up_to_live_moveins',
      'daily_moveouts_add_up_to_moveouts',
      'gold_facts_not_after_as_of_date',
      'moveout_notices_complete',
      'moveout_notices_inside_window',
    ]);
  });
});

interface Manifest {
  nodes: Record<string, { test_metadata?: { name: string }; attached_node?: string; column_name?: string }>;
}

/** A test's result name in the plain runner's form (`relationships int_contracts.tenant_id`), or its id. */
function describeTest(manifest: Manifest, id: string): string {
  const node = manifest.nodes[id];
  if (!node?.test_metadata || !node.attached_node) return id;
  return `${node.test_metadata.name} ${node.attached_node.split('.').pop()}.${node.column_name}`;
}

describe('the golden dump through the daily job (load, seed, build, test, publish)', () => {
  const prefix = testPrefix('whdaily');
  const targetDir = mkdtempSync(join(tmpdir(), 'golden-target-'));
  let db: Db;
  let daily: { code: number; stdout: string; stderr: string };

  before(async () => {
    db = await openTestDb();
    // as_of_date comes from the dump's file name, as in production.
    daily = await runPipelineInProcess(['daily', '--dump', FIXTURE, '--schema-prefix', prefix, '--target-dir', targetDir]);
  });

  after(async () => {
    rmSync(targetDir, { recursive: true, force: true });
    if (db) {
      await dropSchemasWithPrefix(db, prefix);
      await db.close();
    }
  });

  it('publishes exactly the hand-written rows', async () => {
    assert.equal(daily.code, 0, daily.stderr + daily.stdout);
    await assertGolden(db, { silver: `${prefix}silver`, gold: `${prefix}gold` });
  });

  it('passes every data test and source check, warning only about the vendor problems the fixture plants', () => {
    const results = JSON.parse(readFileSync(join(targetDir, 'run_results.json'), 'utf8')) as {
      results: { unique_id: string; status: string }[];
    };
    const manifest = JSON.parse(readFileSync(join(targetDir, 'manifest.json'), 'utf8')) as Manifest;
    const tests = results.results.filter((r) => r.unique_id.startsWith('test.'));
    assert.ok(tests.length >= 76, `only ${tests.length} data tests`);
    assert.ok(results.results.some((r) => r.unique_id === 'source_check.freshness.tokyobeta.staging.movings'));
    assert.deepEqual(
      results.results.filter((r) => !['pass', 'success', 'warn'].includes(r.status)),
      [],
    );
    assert.deepEqual(
      results.results
        .filter((r) => r.status === 'warn')
        .map((r) => describeTest(manifest, r.unique_id))
        .sort(),
      [...golden.EXPECTED_WARNINGS].sort(),
    );
  });
});
