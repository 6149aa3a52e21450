import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { readConfig } from '../../actions/platform/config.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { createS3Store } from '../../actions/cleanup/archive-store.ts';
import { createClassifier } from '../../actions/cleanup/classify.ts';
import { runCleanup } from '../../actions/cleanup/cleanup.ts';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { startLocalS3, type LocalS3 } from '../helpers/local-s3.ts';
import { makeProject } from './project.ts';

const P = testPrefix('cleanups3');
let db: Db;
let s3: LocalS3;
let project: string;
const saved: Record<string, string | undefined> = {};

before(async () => {
  db = await openTestDb(2);
  s3 = await startLocalS3();
  // The SDK's default credential chain reads this process's environment.
  for (const [k, v] of Object.entries(s3.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  await s3.client.send(new CreateBucketCommand({ Bucket: 'tokyobeta-archive' }));
  project = makeProject();
  await db.exec(`CREATE DATABASE ${quoteIdent(`${P}analytics`)}`);
  await db.exec(`CREATE TABLE ${qualified(`${P}analytics`, 'daily')} (d DATE PRIMARY KEY, moveins INT, label VARCHAR(30))`);
  await db.exec(
    `INSERT INTO ${qualified(`${P}analytics`, 'daily')} VALUES ('2026-02-01', 3, '月初'), ('2026-02-02', 0, NULL), ('2026-02-03', 12, 'peak ''spring''')`,
  );
});

after(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await dropSchemasWithPrefix(db, P);
  await db.close();
  await s3.stop();
  rmSync(project, { recursive: true, force: true });
});

test('an S3 archive is uploaded, read back, and restores the schema exactly', async () => {
  const [sum] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(`${P}analytics`, 'daily')}`);
  const r = await runPipelineInProcess(
    ['cleanup', '--apply', '--archive-to', 's3://tokyobeta-archive/schemas', '--schema-prefix', P, '--project-dir', project],
    s3.env,
  );
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(!(await schemasWithPrefix(db, P)).includes(`${P}analytics`));
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'tokyobeta-archive', Prefix: 'schemas/' }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!);
  const key = keys.find((k) => k.startsWith(`schemas/${P}analytics_`))!;
  assert.match(key, /\.sql\.gz$/);
  assert.match(r.stdout, new RegExp(`s3://tokyobeta-archive/${key.replace(/[.]/g, '\\.')} \\(.*3 rows verified\\)`));

  const body = await (await s3.client.send(new GetObjectCommand({ Bucket: 'tokyobeta-archive', Key: key }))).Body!.transformToByteArray();
  const dir = mkdtempSync(join(tmpdir(), 's3-archive-'));
  try {
    const file = join(dir, 'a.sql.gz');
    writeFileSync(file, body);
    execFileSync('mariadb', ['-h127.0.0.1', '-uroot', '-e', `CREATE DATABASE ${quoteIdent(`${P}analytics`)}`]);
    execFileSync('bash', ['-c', `gunzip -c "$1" | mariadb -h127.0.0.1 -uroot "$2"`, 'restore', file, `${P}analytics`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [again] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(`${P}analytics`, 'daily')}`);
  assert.equal(String(again!.Checksum), String(sum!.Checksum));
});

// Runs after the test above, which restored the schema.
test('a missing bucket keeps the schema and says what to do', async () => {
  const r = await runPipelineInProcess(
    ['cleanup', '--apply', '--archive-to', 's3://no-such-bucket-here/x/', '--schema-prefix', P, '--project-dir', project],
    s3.env,
  );
  assert.equal(r.code, 1);
  assert.match(r.stdout, /ERROR: s3:PutObject on s3:\/\/no-such-bucket-here\/x\/.* failed \(NoSuchBucket.*To fix this, check the bucket/);
  assert.ok((await schemasWithPrefix(db, P)).includes(`${P}analytics`), 'not dropped');
});

test('a large archive goes up in several parts and reads back identical', async () => {
  const schema = `${P}basis`;
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.exec(`CREATE TABLE ${qualified(schema, 'blobs')} (id INT PRIMARY KEY, b MEDIUMBLOB)`);
  // Random bytes (as hex) compress only to half: about 6.5 MB of archive, so two 5 MiB parts.
  for (let i = 0; i < 12; i++) await db.exec(`INSERT INTO ${qualified(schema, 'blobs')} VALUES (?, ?)`, [i, randomBytes(512 * 1024)]);
  const config = readConfig(project);
  const classifier = createClassifier(config, createSchemas(config, P));
  const store = createS3Store(s3.client, 'tokyobeta-archive', 'parts/', { partSize: 5 * 1024 * 1024 });
  const report = await runCleanup(
    db,
    classifier,
    { apply: true, archive: true, store, now: new Date(), source: 'test' },
    createMemoryLogger(),
  );
  const basis = report.results.find((r) => r.schema === schema)!;
  assert.equal(basis.status, 'dropped', basis.message);
  assert.ok(basis.archive!.bytes > 5 * 1024 * 1024, String(basis.archive!.bytes));
  const head = await s3.client.send(
    new HeadObjectCommand({ Bucket: 'tokyobeta-archive', Key: basis.archive!.location.replace('s3://tokyobeta-archive/', '') }),
  );
  assert.equal(head.ContentLength, basis.archive!.bytes);
  assert.match(head.ETag ?? '', /-2"?$/, 'a multipart ETag names its number of parts');
});
