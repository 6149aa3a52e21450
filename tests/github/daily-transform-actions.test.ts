/**
 * The daily and transform actions against the real server, on the write-audit-publish fixture
 * project and its dumps: a good day publishes, a bad day fails the step with an annotation on the
 * test's YAML line, publishes nothing, and the report action renders the run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualified, type Db } from '../../actions/platform/db.ts';
import { ROOT } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runAction } from './run-action.ts';

const prefix = testPrefix('buildact');
const dir = mkdtempSync(join(tmpdir(), 'build-action-'));
const project = 'tests/fixtures/wap-project';
const dumps = join(ROOT, 'tests', 'fixtures', 'wap-dumps');
const common = { 'project-dir': project, 'schema-prefix': prefix };
let db: Db;

before(async () => {
  db = await openTestDb(2);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

// In order: day 2 runs on the warehouse day 1 published.

test('the daily action on a good dump loads, builds, tests and publishes, with outputs and a summary', async () => {
  const r = await runAction('daily', {
    ...common,
    dump: join(dumps, 'gghouse_20260205.sql'),
    'target-dir': join(dir, 'day1'),
  });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.status, 'success');
  assert.equal(r.outputs.published, 'true');
  assert.equal(r.outputs['tests-failed'], '0');
  assert.ok(Number(r.outputs['tests-passed']) > 5, r.outputs['tests-passed']);
  assert.ok(Number(r.outputs['models-built']) >= 3);
  assert.ok(Number(r.outputs['tables-loaded']) >= 2);
  assert.equal(r.summary, '', 'the stage leaves the job summary to the report step: status and failures once');
  const rows = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(`${prefix}gold`, 'contracts_by_type')}`);
  assert.equal(Number(rows[0]!.n), 3);
  // The day's report counts the published tables and records them for the next day's comparison.
  const report = await runAction('report', { ...common, 'target-dir': join(dir, 'day1') });
  assert.equal(report.code, 0, report.stderr + report.stdout);
  assert.match(report.summary, new RegExp(`\\| \`${prefix}gold\\.contracts_by_type\` \\| table \\| 3 \\| – \\| new \\|`));
});

test('the daily action on a bad dump fails the step, annotates the YAML line of the failing test, publishes nothing', async () => {
  const r = await runAction('daily', {
    ...common,
    dump: join(dumps, 'gghouse_20260206_bad.sql'),
    date: '20260206',
    'target-dir': join(dir, 'day2'),
  });
  assert.equal(r.code, 1);
  assert.equal(r.outputs.status, 'failed');
  assert.equal(r.outputs.published, 'false');
  assert.equal(r.outputs['tests-failed'], '1');
  const annotation = /^::error (.*)::test is_positive_int_contracts_rent failed \(1 failing row\)/m.exec(r.stdout);
  assert.ok(annotation, r.stdout);
  assert.deepEqual(annotation[1]!.split(',').sort(), [
    'file=tests/fixtures/wap-project/models/silver/silver.yml',
    'line=11',
    'title=test is_positive_int_contracts_rent',
  ]);
  assert.match(r.stdout, /^::warning .*line=16.*::test relationships_int_contracts_\w+ warned \(1 failing row\)/m);
  assert.equal(r.summary, '');
});

test('the report action renders the failed day as the job summary: failures, layers with counts, lineage', async () => {
  const target = join(dir, 'day2');
  const r = await runAction(
    'report',
    { ...common, 'target-dir': target },
    { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' },
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.status, 'failed');
  assert.ok(existsSync(join(target, 'report.md')));
  assert.match(
    r.summary,
    /\[models\/silver\/silver\.yml:11\]\(https:\/\/github\.com\/o\/r\/blob\/abc\/tests\/fixtures\/wap-project\/models\/silver\/silver\.yml#L11\)|\[models\/silver\/silver\.yml:11\]\(https:\/\/github\.com\/o\/r\/blob\/abc\/models\/silver\/silver\.yml#L11\)/,
  );
  assert.match(r.summary, /## Failures[\s\S]*is_positive_int_contracts_rent.*\*\*1 failing row\*\*/);
  assert.match(r.summary, /nothing was published.*The published warehouse is unchanged/);
  assert.equal(r.summary.match(/❌ \*\*FAILED\*\*/g)?.length, 1, 'the status once');
  assert.match(r.summary, /## Staging load/);
  assert.ok(
    r.summary.indexOf('### gold') < r.summary.indexOf('### silver') && r.summary.indexOf('### silver') < r.summary.indexOf('### staging'),
  );
  assert.ok(r.summary.indexOf('### staging') < r.summary.indexOf('## Staging load'), 'what changed in the layers before the load');
  for (const layer of ['staging', 'seeds', 'silver', 'gold']) assert.match(r.summary, new RegExp(`### ${layer} — \\d+ tables?`));
  // Day 2 kept its build in the shadow: the failed test's descendant was skipped, so it has no count there; day 1's is the previous one.
  assert.match(r.summary, new RegExp(`\\| \`${prefix}gold__shadow\\.contracts_by_type\` \\| table \\| – \\| 3 \\| – \\|`));
  assert.match(r.summary, new RegExp(`\\| \`${prefix}silver__shadow\\.stg_movings\` \\| view \\| 6 \\| 5 \\| \\+1 \\(20\\.0%\\) \\|`));
  assert.match(r.summary, /```mermaid\nflowchart LR/);
});

test('the transform action with publish rebuilds and publishes against the loaded staging', async () => {
  const r = await runAction('transform', { ...common, publish: 'true', 'target-dir': join(dir, 'build') });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.published, 'true');
  assert.equal(r.summary, '');
});
