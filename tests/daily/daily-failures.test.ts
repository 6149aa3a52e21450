/**
 * A failed morning is explained: whatever fails in `daily` (here the database refusing the user
 * a grant on the shadow schema), target/run_results.json and target/report.md are written, the
 * error is one line that says what to do (never "internal error"), and the exit code is 1. Usage
 * errors found before anything is loaded (a selection that matches nothing, an as_of_date that is
 * not a date) exit 2 and touch nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, TEST_DATABASE_URL, testPrefix } from '../helpers/db.ts';
import { copyProject } from '../transform/wap-fixture.ts';

const prefix = testPrefix('dailyfail');
const dbPromise = openTestDb(2);
const DUMP = join(ROOT, 'tests', 'fixtures', 'wap-dumps', 'gghouse_20260205.sql');
const dir = copyProject();
const user = `${prefix}ro`.slice(0, 32);
const readOnlyUrl = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.username = user;
  u.password = 'pw-ro';
  return u.toString();
})();

before(async () => {
  const db = await dbPromise;
  await db.exec(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY 'pw-ro'`);
  await db.exec(`CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY 'pw-ro'`);
  await db.exec(`GRANT SELECT ON *.* TO '${user}'@'%'`);
  await db.exec(`GRANT SELECT ON *.* TO '${user}'@'localhost'`);
});

after(async () => {
  const db = await dbPromise;
  await db.exec(`DROP USER IF EXISTS '${user}'@'%'`);
  await db.exec(`DROP USER IF EXISTS '${user}'@'localhost'`);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const target = join(dir, 'target');
const daily = (env: Record<string, string>, ...args: string[]) =>
  runPipelineInProcess(['daily', '--dump', DUMP, '--project-dir', dir, ...args], { PIPELINE_SCHEMA_PREFIX: prefix, ...env });

test('a user without the grants daily needs: exit 1, one line saying what to do, run_results.json and report.md written', async () => {
  rmSync(target, { recursive: true, force: true });
  const r = await daily({ DATABASE_URL: readOnlyUrl });
  assert.equal(r.code, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  assert.match(r.stderr, /not allowed to do this \(.*denied.*\)\. To fix this, grant the user rights/);
  // dbt's run_results.json, and the pipeline's own results (stages, load, publish) beside it.
  assert.ok(existsSync(join(target, 'run_results.json')));
  const results = JSON.parse(readFileSync(join(target, 'pipeline_results.json'), 'utf8')) as RunResults;
  assert.equal(results.status, 'error');
  assert.ok(
    results.stages.some((s) => s.status === 'error' && /not allowed to do this/.test(s.message ?? '')),
    JSON.stringify(results.stages),
  );
  assert.ok(existsSync(join(target, 'report.md')));
  assert.match(readFileSync(join(target, 'report.md'), 'utf8'), /not allowed to do this/);
});

test('a user the server does not know: exit 1 and one line, not a bug report', async () => {
  const u = new URL(TEST_DATABASE_URL);
  u.username = `${prefix}nobody`.slice(0, 32);
  u.password = 'secret';
  const r = await runPipelineInProcess(['load', '--dump', DUMP, '--schema-prefix', prefix], { DATABASE_URL: u.toString() });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: the database at .* refused the user or password \(Access denied .*error (1045|1698).*\)\. To fix this/);
  assert.doesNotMatch(r.stderr, /internal error|secret/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('--select that matches nothing and an as_of_date that is not a date are usage errors (exit 2), nothing loaded', async () => {
  const db = await dbPromise;
  const before = await schemasWithPrefix(db, prefix);
  const none = await daily({}, '--select', 'no_such_model');
  assert.equal(none.code, 2, none.stderr);
  assert.match(none.stderr, /--select no_such_model selects no node of the project/);
  const build = await runPipelineInProcess(['build', '--project-dir', dir, '--select', 'no_such_model'], {
    PIPELINE_SCHEMA_PREFIX: prefix,
  });
  assert.equal(build.code, 2, build.stderr);
  for (const bad of ['2026-02-30', "2026-02-05'; DROP TABLE x; --"]) {
    const r = await daily({}, '--vars', JSON.stringify({ as_of_date: bad }));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /as_of_date .* is not a date/);
  }
  assert.deepEqual(await schemasWithPrefix(db, prefix), before);
});
