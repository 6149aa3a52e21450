/**
 * pr-checks.yml's pipeline job end to end in the workflow harness, against the real server: a push
 * to main builds everything on the generated dump (in a fresh target/: generate-dump creates it)
 * and saves its state; a pull request that changes one gold model restores that state, builds the
 * unchanged models without tests, then only what the change touches (state:modified+), as
 * of the dump's date (so the freshness checks judge the dump, not the wall clock), and reports the
 * change against main. The `test` job (typecheck and `npm test`) is this suite itself.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../actions/platform/db.ts';
import { ROOT } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';
import { createRepo, removeRepo, runJob, type JobRequest } from './harness/harness.ts';

const mainPrefix = testPrefix('wfprmain');
const prPrefix = testPrefix('wfprpr');
const repo = createRepo();
const MAIN_SHA = 'b'.repeat(40);
const CHANGED = 'models/gold/new_contracts.sql';
let db: Db;

before(async () => {
  db = await openTestDb(1);
});

after(async () => {
  removeRepo(repo);
  await dropSchemasWithPrefix(db, mainPrefix);
  await dropSchemasWithPrefix(db, prPrefix);
  await db.close();
});

function machine(prefix: string): JobRequest['machineEnv'] {
  return { DATABASE_URL: TEST_DATABASE_URL, PIPELINE_SCHEMA_PREFIX: prefix };
}

test('a push to main: the whole pipeline on the generated dump, as of its date; the state is saved for pull requests', async () => {
  const r = await runJob(repo, 'pr-checks.yml', 'pipeline', {
    event: { name: 'push', payload: { ref: 'refs/heads/main', after: MAIN_SHA } },
    ref: 'refs/heads/main',
    sha: MAIN_SHA,
    machineEnv: machine(mainPrefix),
  });
  assert.equal(r.conclusion, 'success', r.log.slice(-8000));
  assert.equal(r.step('State of the last successful main-branch run').outcome, 'skipped');
  assert.equal(r.step('dump').outputs['as-of-date'], '2026-02-05');
  assert.deepEqual(
    repo.caches.map((c) => c.key),
    [`pipeline-state-${MAIN_SHA}`],
  );
  assert.ok(repo.artifacts.some((a) => /^pipeline-main-\d+-1$/.test(a.name)));
});

test('a pull request changing one gold model builds only what it touches against main, and reports the change', async () => {
  const original = readFileSync(join(ROOT, CHANGED), 'utf8');
  const r = await runJob(repo, 'pr-checks.yml', 'pipeline', {
    event: {
      name: 'pull_request',
      payload: { number: 7, pull_request: { number: 7, head: { sha: 'c'.repeat(40) }, base: { sha: MAIN_SHA } } },
    },
    ref: 'refs/pull/7/merge',
    sha: 'd'.repeat(40),
    machineEnv: machine(prPrefix),
    changes: { [CHANGED]: `${original.trimEnd()}\n-- a pull request's change\n` },
  });
  assert.equal(r.conclusion, 'success', r.log.slice(-8000));
  assert.equal(r.step('State of the last successful main-branch run').outputs['cache-matched-key'], `pipeline-state-${MAIN_SHA}`);
  const unchanged = r.step('The unchanged models (what the changed ones read)');
  assert.equal(unchanged.outcome, 'success');
  assert.ok(Number(unchanged.outputs['models-built']) > 0);
  assert.equal(unchanged.outputs['tests-passed'], '0', 'no test before the changed models exist');
  assert.equal(r.step('build').outputs['models-built'], '1', 'only new_contracts: it has no model children');
  assert.match(r.summary, /## Changes against main — 0 added, 1 changed, 0 removed/);
  assert.match(r.summary, /new_contracts/);
  assert.ok(repo.artifacts.some((a) => /^pipeline-pr-7-\d+-1$/.test(a.name)));
  assert.equal(repo.caches.length, 1, 'a pull request saves no state');
});
