import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { qualified } from '../../actions/platform/db.ts';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { spawn } from 'node:child_process';
import { PIPELINE, ROOT, runPipelineInProcess } from '../helpers/cli.ts';

/** Runs `daily` as one node process and SIGKILLs it when stderr shows `marker`. */
async function dailyKilledAt(dump: string, pauseEnv: Record<string, string>, marker: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', PIPELINE, 'daily', '--dump', join(DUMPS, dump), '--project-dir', dir], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...pauseEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes(marker)) child.kill('SIGKILL');
    });
    child.on('close', (_code, sig) => resolve(sig));
  });
  assert.equal(signal, 'SIGKILL', stderr);
  return stderr;
}
import { copyProject, snapshot } from '../transform/wap-fixture.ts';

const prefix = testPrefix('daily');
const dbPromise = openTestDb(2);
const env = { PIPELINE_SCHEMA_PREFIX: prefix };
const DUMPS = join(ROOT, 'tests', 'fixtures', 'wap-dumps');
const dir = copyProject();
const published = ['staging', 'seeds', 'silver', 'gold'].map((s) => `${prefix}${s}`);

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const daily = (dump: string, ...args: string[]) =>
  runPipelineInProcess(['daily', '--dump', join(DUMPS, dump), '--project-dir', dir, ...args], env);
const results = () => JSON.parse(readFileSync(join(dir, 'target', 'pipeline_results.json'), 'utf8')) as RunResults;

// The tests of this file run in order: each day builds on the warehouse the previous one left.

test('day 1: daily loads, builds, tests and publishes every layer in one step', async () => {
  const r = await daily('gghouse_20260205.sql');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const rr = results();
  assert.equal(rr.publish!.published, true);
  assert.equal(rr.load!.published, true);
  assert.deepEqual(
    rr.stages.map((s) => s.name),
    ['load', 'build and publish'],
  );
  assert.equal(rr.metadata.command, 'daily');
  assert.equal((rr.args as { as_of_date: string }).as_of_date, '2026-02-05', 'as_of_date from the dump name');
  const db = await dbPromise;
  const rows = await db.query<{ tenant_type: string; contracts: string }>(
    `SELECT tenant_type, contracts FROM ${qualified(`${prefix}gold`, 'contracts_by_type')} ORDER BY 1`,
  );
  assert.deepEqual(
    rows.map((x) => [x.tenant_type, Number(x.contracts)]),
    [
      ['corporate', 1],
      ['individual', 2],
      ['unknown', 1],
    ],
  );
  const [def] = await db.query<{ d: string }>(
    'SELECT VIEW_DEFINITION AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [`${prefix}silver`, 'stg_movings'],
  );
  assert.match(def!.d, new RegExp(`\`${prefix}staging\`\\.\`movings\``), 'the view reads the published staging');
  assert.deepEqual(
    (await schemasWithPrefix(db, prefix)).filter((s) => /__(shadow|old)$/.test(s)),
    [],
  );
});

test('day 2: a failing error-severity test publishes nothing; every published table stays byte-identical', async () => {
  const db = await dbPromise;
  const before = await snapshot(db, published);
  const r = await daily('gghouse_20260206_bad.sql', '--date', '20260206');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /FAIL test\.wap\.is_positive_int_contracts_rent\.\w+ \(1 failing row\) \[models\/silver\/silver\.yml:11\]/);
  assert.match(r.stdout, /id=6, tenant_id=11, rent=0/);
  assert.match(r.stdout, /NOT published: .*kept for inspection until the next run: .*__shadow/);
  const rr = results();
  assert.equal(rr.status, 'error');
  assert.equal(rr.publish!.published, false);
  assert.ok(rr.publish!.shadowSchemas!.includes(`${prefix}staging__shadow`));
  assert.ok(
    rr.results.some((x) => x.unique_id === 'model.wap.contracts_by_type' && x.status === 'skipped'),
    'the descendant of the failed test is skipped',
  );
  assert.deepEqual(await snapshot(db, published), before, 'CHECKSUM TABLE of every published table unchanged');
  const [shadowRow] = await db.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM ${qualified(`${prefix}silver__shadow`, 'int_contracts')} WHERE rent = 0`,
  );
  assert.equal(Number(shadowRow!.n), 1, 'the shadow holds the bad build for inspection');
});

test('day 2, again: a truncated dump fails the load; nothing is published and the results say why', async () => {
  const db = await dbPromise;
  const before = await snapshot(db, published);
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const truncated = join(mkdtempSync(join(tmpdir(), 'wap-dump-')), 'gghouse_20260206.sql');
  const text = readFileSync(join(DUMPS, 'gghouse_20260206.sql'), 'utf8');
  writeFileSync(truncated, text.slice(0, text.indexOf('-- Dump completed')));
  const r = await runPipelineInProcess(['daily', '--dump', truncated, '--project-dir', dir], env);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const rr = results();
  assert.equal(rr.status, 'error');
  assert.equal(rr.publish!.published, false);
  assert.match(rr.load!.error!, /truncated/);
  assert.deepEqual(
    rr.stages.map((s) => [s.name, s.status]),
    [['load', 'error']],
  );
  assert.deepEqual(await snapshot(db, published), before);
});

test('day 3 dry run: builds and tests in the shadow, publishes nothing, exits 0', async () => {
  const db = await dbPromise;
  const before = await snapshot(db, published);
  const r = await daily('gghouse_20260206.sql', '--dry-run');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /NOT published: this was a dry run/);
  assert.deepEqual(await snapshot(db, published), before);
});

test('day 3: killed between build and publish, the warehouse is unchanged and the next run succeeds', async () => {
  const db = await dbPromise;
  const before = await snapshot(db, published);
  // One node process (tsx as a loader, not as a wrapper process), so SIGKILL hits the pipeline itself.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', PIPELINE, 'daily', '--dump', join(DUMPS, 'gghouse_20260206.sql'), '--project-dir', dir],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, PIPELINE_PAUSE_BEFORE_PUBLISH_MS: '30000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes('about to publish')) child.kill('SIGKILL');
    });
    child.on('close', (_code, sig) => resolve(sig));
  });
  assert.equal(signal, 'SIGKILL', stderr);
  assert.deepEqual(await snapshot(db, published), before, 'published data unchanged after the kill');
  // The killed run's lock went with its connection; the next run cleans its leftovers and publishes.
  const r = await daily('gghouse_20260206.sql');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /removed leftovers of an earlier run/);
  const staging = await db.query<{ t: string }>('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1', [
    `${prefix}staging`,
  ]);
  assert.deepEqual(
    staging.map((x) => x.t),
    ['movings', 'tenants'],
    'the table dropped from the dump left staging; the unchanged one stayed',
  );
  const tenants = results().load!.tables.find((t) => t.table === 'tenants')!;
  assert.equal(tenants.status, 'unchanged');
  const counts = Object.fromEntries(results().tables!.map((t) => [`${t.layer}:${t.table}`, [t.rows, t.previousRows]]));
  assert.deepEqual(counts['staging:movings'], [6, 5], 'row counts before and after, for the report');
  assert.deepEqual(counts['silver:int_contracts'], [5, 4]);
  assert.deepEqual(counts['gold:contracts_by_type'], [3, 3]);
  assert.deepEqual(counts['seeds:code_contract_type'], [3, 3]);
  const [n] = await db.query<{ n: string }>(`SELECT SUM(contracts) AS n FROM ${qualified(`${prefix}gold`, 'contracts_by_type')}`);
  assert.equal(Number(n!.n), 5);
  assert.deepEqual(
    (await schemasWithPrefix(db, prefix)).filter((s) => /__(shadow|old)$/.test(s)),
    [],
  );
});

test('day 4: killed right after the publishing RENAME, before the hashes are recorded, the next run still publishes the right day', async () => {
  const db = await dbPromise;
  // Publish day 1 again (movings has 5 rows, vendor_logs comes back), killed in the window between
  // the RENAME and recording the load's content hashes.
  await dailyKilledAt('gghouse_20260205.sql', { PIPELINE_PAUSE_AFTER_PUBLISH_MS: '30000' }, 'hashes not yet recorded');
  const [five] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(`${prefix}staging`, 'movings')}`);
  assert.equal(Number(five!.n), 5, 'the RENAME had published day 1');
  // Day 2's dump again: its movings differ from what is published now, so they must be reloaded.
  // (A stale hash of day 2 left beside day 1's table would make the loader skip it as unchanged.)
  const r = await daily('gghouse_20260206.sql');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const movings = results().load!.tables.find((t) => t.table === 'movings')!;
  assert.equal(movings.status, 'loaded');
  const [six] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(`${prefix}staging`, 'movings')}`);
  assert.equal(Number(six!.n), 6, "day 2's movings are published");
  const [n] = await db.query<{ n: string }>(`SELECT SUM(contracts) AS n FROM ${qualified(`${prefix}gold`, 'contracts_by_type')}`);
  assert.equal(Number(n!.n), 5, 'gold is built from day 2');
});
