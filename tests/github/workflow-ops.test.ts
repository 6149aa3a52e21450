/**
 * cleanup.yml and rollback.yml run end to end in the workflow harness, as the runner runs their
 * main job (after the approval job): against the real server and the local S3 server.
 * - cleanup: a dry run lists and drops nothing, in Actions wording; applying archives to S3 and
 *   drops; applying without an S3 archive prefix is refused with what to set.
 * - rollback: status against an RDS endpoint that does not answer fails with one clear line.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3.ts';
import { createRepo, removeRepo, runJob, type JobRequest } from './harness/harness.ts';

const prefix = testPrefix('wfops');
let db: Db;
let s3: LocalS3;
const repo = createRepo();

const VARS = {
  AWS_REGION: 'us-east-1',
  AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/pipeline',
  PIPELINE_ARCHIVE_PREFIX: 's3://archives/cleanup/',
};

function request(inputs: Record<string, string | boolean>, vars: Record<string, string> = VARS): JobRequest {
  return {
    event: { name: 'workflow_dispatch', payload: { inputs }, inputs },
    vars,
    machineEnv: { DATABASE_URL: TEST_DATABASE_URL, PIPELINE_SCHEMA_PREFIX: prefix },
    aws: {
      accessKeyId: 'test',
      secretAccessKey: 'test-secret-key',
      endpoints: { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL_RDS: 'http://127.0.0.1:9' },
    },
  };
}

async function schemasLeft(): Promise<number> {
  const rows = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?, ?)', [
    `${prefix}basis`,
    `${prefix}_gold`,
  ]);
  return Number(rows[0]!.n);
}

before(async () => {
  db = await openTestDb(2);
  s3 = await startLocalS3();
  await s3.client.send(new CreateBucketCommand({ Bucket: 'archives' }));
  await db.exec(`CREATE DATABASE ${quoteIdent(`${prefix}basis`)}`);
  await db.exec(`CREATE TABLE ${quoteIdent(`${prefix}basis`)}.t (a INT)`);
  await db.exec(`INSERT INTO ${quoteIdent(`${prefix}basis`)}.t VALUES (1), (2)`);
  await db.exec(`CREATE DATABASE ${quoteIdent(`${prefix}_gold`)}`);
});

after(async () => {
  removeRepo(repo);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  await s3.stop();
});

test('cleanup.yml, the approval job: runs in the production environment and does nothing else', async () => {
  const r = await runJob(repo, 'cleanup.yml', 'approve', request({ 'dry-run': true, confirm: '' }));
  assert.equal(r.conclusion, 'success', r.log);
});

test('cleanup.yml as a dry run: the summary lists what would be archived and dropped, in Actions wording; nothing dropped', async () => {
  const r = await runJob(repo, 'cleanup.yml', 'cleanup', request({ 'dry-run': true, confirm: '' }));
  assert.equal(r.conclusion, 'success', r.log);
  assert.match(r.summary, new RegExp(`\\| ${prefix}basis \\| .* would archive, verify and drop \\|`));
  assert.match(r.summary, /run the workflow again with dry-run unticked and confirm 'apply'/);
  assert.doesNotMatch(r.summary, /--apply/);
  assert.equal(await schemasLeft(), 2);
});

test('cleanup.yml applying without an S3 archive prefix is refused, says what to set, drops nothing', async () => {
  const r = await runJob(
    repo,
    'cleanup.yml',
    'cleanup',
    request({ 'dry-run': false, confirm: 'apply' }, { ...VARS, PIPELINE_ARCHIVE_PREFIX: '' }),
  );
  assert.equal(r.conclusion, 'failure');
  assert.ok(
    r.annotations.some((a) => /needs a durable archive, and archive-to is empty.*PIPELINE_ARCHIVE_PREFIX/.test(a.message)),
    r.log,
  );
  assert.equal(await schemasLeft(), 2);
});

test('cleanup.yml applying with the S3 archive: archives the schema with rows to S3, then drops both; a re-run attempt keeps its own artifact', async () => {
  const r = await runJob(repo, 'cleanup.yml', 'cleanup', { ...request({ 'dry-run': false, confirm: 'apply' }), runId: 77, runAttempt: 1 });
  assert.equal(r.conclusion, 'success', r.log);
  assert.equal(await schemasLeft(), 0);
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'archives', Prefix: 'cleanup/' }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  assert.ok(
    keys.some((k) => k.includes(`${prefix}basis`) && k.endsWith('.sql.gz')),
    keys.join(', '),
  );
  const again = await runJob(repo, 'cleanup.yml', 'cleanup', {
    ...request({ 'dry-run': false, confirm: 'apply' }),
    runId: 77,
    runAttempt: 2,
  });
  // The second attempt's artifact has a name of its own (upload-artifact refuses a name twice in a run).
  assert.equal(again.conclusion, 'success', again.log);
  const names = repo.artifacts.filter((a) => a.runId === 77).map((a) => a.name);
  assert.equal(new Set(names).size, names.length, names.join(', '));
});

test('rollback.yml status against an RDS endpoint that does not answer: one clear line, no stack trace', async () => {
  const r = await runJob(
    repo,
    'rollback.yml',
    'rollback',
    request(
      { action: 'status', to: '', latest: false, cutover: false, 'dry-run': true, confirm: '' },
      { ...VARS, AURORA_CLUSTER_ID: 'warehouse' },
    ),
  );
  assert.equal(r.conclusion, 'failure');
  const errors = r.annotations.filter((a) => a.level === 'error');
  assert.equal(errors.length, 1, r.log);
  assert.equal(errors[0]!.message.split('\n').length, 1, errors[0]!.message);
  assert.doesNotMatch(r.log, /internal error|\n\s+at /);
});
