/**
 * daily-etl.yml end to end in the workflow harness, against the real server and the local S3
 * server, with the dumps under an S3 prefix as in production:
 * - scheduled runs: a failing one opens the failure issue, a second failing one comments on it,
 *   a successful one publishes and closes it (the GitHub REST API stand-in records the calls);
 * - a dispatched dry run of another date with a selection: built and tested, nothing published,
 *   reported as a success with a note, never under failures.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDump } from '../../scripts/generate-dump/generate-dump.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3.ts';
import { startGithubApi, type GithubApi } from './harness/github-api.ts';
import { createRepo, removeRepo, runJob, type JobRequest } from './harness/harness.ts';
import type { HarnessRepo } from './harness/harness-types.ts';

const prefix = testPrefix('wfdaily');
const dir = mkdtempSync(join(tmpdir(), 'wf-daily-'));
let db: Db;
let s3: LocalS3;
let api: GithubApi;
let repo: HarnessRepo;

const VARS = {
  AWS_REGION: 'us-east-1',
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/pipeline',
  PIPELINE_DUMP_PREFIX: 's3://vendor/dumps/',
};

function request(event: JobRequest['event'], vars: Record<string, string> = VARS): JobRequest {
  return {
    event,
    vars,
    machineEnv: { DATABASE_URL: TEST_DATABASE_URL, PIPELINE_SCHEMA_PREFIX: prefix },
    aws: { accessKeyId: 'test', secretAccessKey: 'test-secret-key', endpoints: { AWS_ENDPOINT_URL_S3: s3.endpoint } },
  };
}
const schedule = (vars?: Record<string, string>) => request({ name: 'schedule', payload: { schedule: '17 1 * * *' } }, vars);

before(async () => {
  db = await openTestDb(2);
  s3 = await startLocalS3();
  repo = createRepo();
  api = await startGithubApi(repo.token);
  repo.apiUrl = api.url;
  await s3.client.send(new CreateBucketCommand({ Bucket: 'vendor' }));
  for (const date of ['20260204', '20260205']) {
    const file = join(dir, `gghouse_${date}.sql.gz`);
    await generateDump({ out: file, scale: 0.01, date, seed: 1, flavor: 'mysql8' }, createMemoryLogger());
    await s3.client.send(new PutObjectCommand({ Bucket: 'vendor', Key: `dumps/gghouse_${date}.sql.gz`, Body: readFileSync(file) }));
  }
  // A prefix whose newest dump is cut short: the scheduled run fails at the load.
  const whole = readFileSync(join(dir, 'gghouse_20260205.sql.gz'));
  await s3.client.send(
    new PutObjectCommand({ Bucket: 'vendor', Key: 'broken/gghouse_20260206.sql.gz', Body: whole.subarray(0, whole.length >> 1) }),
  );
});

after(async () => {
  removeRepo(repo);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  await s3.stop();
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a failing scheduled run fails the job, opens the failure issue, and a second one comments on it', async () => {
  const vars = { ...VARS, PIPELINE_DUMP_PREFIX: 's3://vendor/broken/' };
  const r = await runJob(repo, 'daily-etl.yml', 'daily', schedule(vars));
  assert.equal(r.conclusion, 'failure');
  assert.equal(r.step('Report').outcome, 'success', r.log);
  assert.equal(api.issues.length, 1, api.calls.join('\n'));
  const issue = api.issues[0]!;
  assert.match(issue.title, /^daily ETL failed for \d{4}-\d{2}-\d{2}$/);
  assert.match(issue.body, /❌ \*\*FAILED\*\*/);
  assert.match(issue.body, /actions\/runs\/\d+/);
  const again = await runJob(repo, 'daily-etl.yml', 'daily', schedule(vars));
  assert.equal(again.conclusion, 'failure');
  assert.equal(api.issues.length, 1, 'one issue however many days fail');
  assert.equal(api.issues[0]!.comments.length, 1);
});

test('a successful scheduled run publishes, reports status and failures once, gold first, and closes the failure issue', async () => {
  const r = await runJob(repo, 'daily-etl.yml', 'daily', schedule());
  assert.equal(r.conclusion, 'success', r.log.slice(-6000));
  assert.equal(r.summary.match(/✅ \*\*SUCCESS\*\*/g)?.length, 1, r.summary.slice(0, 2000));
  assert.doesNotMatch(r.summary, /## Failures/);
  const gold = r.summary.indexOf('### gold');
  const staging = r.summary.indexOf('### staging');
  assert.ok(gold > 0 && staging > gold, 'gold comes before staging');
  assert.match(r.summary, /<details><summary>All \d+ staging tables<\/summary>/);
  const rows = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(`${prefix}gold`)}.new_contracts`);
  assert.ok(Number(rows[0]!.n) >= 0);
  assert.equal(api.issues[0]!.state, 'closed');
  assert.ok(repo.artifacts.some((a) => a.name.endsWith('-1') && a.retentionDays === 90));
});

function dispatch(inputs: Record<string, string | boolean>): JobRequest {
  const all = { 'dump-date': '', select: '', 'full-refresh': false, 'dry-run': false, ...inputs };
  return request({ name: 'workflow_dispatch', payload: { inputs: all }, inputs: all });
}

function runResults(workspace: string) {
  return JSON.parse(readFileSync(join(workspace, 'target', 'pipeline_results.json'), 'utf8')) as {
    args: Record<string, unknown>;
    load: { source: string };
    publish?: { published: boolean };
    results: Array<{ unique_id: string }>;
  };
}

test('a dispatched dry run of another date: that dump, built and tested, nothing published, a success with a note, not a failure', async () => {
  const r = await runJob(repo, 'daily-etl.yml', 'daily', dispatch({ 'dump-date': '20260204', 'dry-run': true }));
  assert.equal(r.conclusion, 'success', r.log.slice(-6000));
  const results = runResults(r.workspace);
  assert.equal(results.args.dry_run, true);
  assert.match(results.load.source, /gghouse_20260204\.sql\.gz$/);
  assert.equal(results.publish?.published ?? false, false);
  assert.match(r.summary, /dry run: built and tested in the shadow, not published \(as asked\)/);
  assert.doesNotMatch(r.summary, /## Failures/);
  assert.equal(api.issues[0]!.state, 'closed', 'a dry run neither opens nor closes');
});

test('a dispatched run with a selection builds only the selected models', async () => {
  const r = await runJob(repo, 'daily-etl.yml', 'daily', dispatch({ select: 'gold.new_contracts+', 'dry-run': true }));
  assert.equal(r.conclusion, 'success', r.log.slice(-6000));
  const models = runResults(r.workspace).results.filter((n) => n.unique_id.startsWith('model.'));
  assert.ok(models.length > 0 && models.every((n) => /new_contracts/.test(n.unique_id)), JSON.stringify(models.map((n) => n.unique_id)));
});
