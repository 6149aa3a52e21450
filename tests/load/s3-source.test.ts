/**
 * S3 sources against a real S3-compatible HTTP server started here (fauxqs), through the real
 * @aws-sdk/client-s3: newest-dump selection under a prefix of more than 1,000 objects (paged
 * listings), gzip objects, --date, a missing key, and a connection cut mid-download (a TCP proxy
 * that drops the first download after some bytes) that the loader resumes with a ranged GET.
 */
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import type { Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { loadDump } from '../../actions/load/load-dump.ts';
import { runPipeline } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { checksums, makeDump } from './helpers.ts';

const prefix = testPrefix('loads3');
const meta = `${prefix}pipeline_meta`;
const BUCKET = 'vendor-drop';
let db: Db;
let server: Awaited<ReturnType<typeof startFauxqs>>;
let endpoint: string;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const client = (url = endpoint) => new S3Client({ endpoint: url, forcePathStyle: true, region: 'ap-northeast-1', credentials });
const newest = makeDump({ tables: ['tenants', 'rooms'], rows: 20_000, tag: 'newest' });

before(async () => {
  db = await openTestDb();
  server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  endpoint = `http://127.0.0.1:${server.port}`;
  const s3 = client();
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const puts: Array<[string, Buffer]> = [];
  // 1,050 other objects sort before the dumps, so the dumps are on the second listing page.
  for (let i = 0; i < 1050; i++) puts.push([`gghouse/archive/report-${String(i).padStart(4, '0')}.csv`, Buffer.from(`x${i}`)]);
  puts.push(['gghouse/gghouse_20260103.sql', makeDump({ tables: ['tenants'], rows: 30, tag: 'jan3' })]);
  puts.push(['gghouse/gghouse_20260104.sql.gz', gzipSync(makeDump({ tables: ['tenants'], rows: 40, tag: 'jan4' }))]);
  puts.push(['gghouse/gghouse_20260205.sql.gz', gzipSync(newest)]);
  puts.push(['gghouse/gghouse_20260301.sql.bak', Buffer.from('not a dump name')]);
  puts.push(['gghouse/plain-big.sql', newest]);
  for (let i = 0; i < puts.length; i += 50) {
    await Promise.all(puts.slice(i, i + 50).map(([Key, Body]) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))));
  }
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  await server.stop();
});

test('the newest gghouse_YYYYMMDD dump under a prefix of 1,000+ objects is chosen, and gzip is detected', async () => {
  const source = await resolveDumpSource(`s3://${BUCKET}/gghouse/`, { s3: () => client() });
  assert.equal(source.name, `s3://${BUCKET}/gghouse/gghouse_20260205.sql.gz`);
  assert.equal(source.date, '20260205');
  const r = await loadDump(db, { source, schema: `${prefix}newest`, metaSchema: meta, threads: 2 }, createMemoryLogger());
  assert.deepEqual(
    r.tables.map((t) => [t.table, t.rows]),
    [
      ['tenants', 20_000],
      ['rooms', 20_000],
    ],
  );
});

test('--date picks that day under the prefix', async () => {
  const source = await resolveDumpSource(`s3://${BUCKET}/gghouse/`, { s3: () => client(), date: '20260103' });
  assert.equal(source.name, `s3://${BUCKET}/gghouse/gghouse_20260103.sql`);
  await assert.rejects(
    resolveDumpSource(`s3://${BUCKET}/gghouse/`, { s3: () => client(), date: '20250101' }),
    /no a dump of 20250101 .* \(1055 objects listed\)/,
  );
});

test('a missing key is a clear error', async () => {
  const source = await resolveDumpSource(`s3://${BUCKET}/gghouse/gghouse_20990101.sql`, { s3: () => client() });
  await assert.rejects(loadDump(db, { source, schema: `${prefix}missing`, metaSchema: meta }, createMemoryLogger()), /does not exist/);
});

test('missing AWS credentials fail at once, without retries, and say what to do', async () => {
  let asked = 0;
  const noCredentials = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'ap-northeast-1',
    credentials: async () => {
      asked++;
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    },
  });
  const log = createMemoryLogger();
  const source = await resolveDumpSource(`s3://${BUCKET}/gghouse/plain-big.sql`, { s3: () => noCredentials, log: (m) => log.warn(m) });
  const started = Date.now();
  await assert.rejects(loadDump(db, { source, schema: `${prefix}nocreds`, metaSchema: meta }, log), (err: Error) =>
    /failed at byte 0: s3:GetObject .*CredentialsProviderError.*provide AWS credentials/.test(err.message),
  );
  assert.ok(!log.lines.some((l) => /resuming/.test(l)), log.lines.join('\n'));
  assert.ok(asked <= 2, `credentials asked ${asked} times`);
  assert.ok(Date.now() - started < 3000);
  await assert.rejects(
    resolveDumpSource(`s3://${BUCKET}/gghouse/`, { s3: () => noCredentials }),
    /s3:ListBucket on s3:\/\/vendor-drop\/gghouse\/ failed \(CredentialsProviderError.*provide AWS credentials/,
  );
});

test('a dump named gghouse_YYYYMMDD gives its date whatever follows; a prefix listing picks only .sql and .sql.gz', async () => {
  const { dateOfName } = await import('../../actions/load/dump-source.ts');
  assert.equal(dateOfName('gghouse_20260205_trunc.sql.gz'), '20260205');
  assert.equal(dateOfName('/tmp/x/gghouse_20260205.sql'), '20260205');
  assert.equal(dateOfName('gghouse_20261399.sql'), undefined);
  assert.equal(dateOfName('gghouse_202602051.sql'), undefined);
  assert.equal(dateOfName('old_gghouse_20260205.sql'), undefined);
});

/** Forwards to the S3 server; the first connection that sends more than `cutAfter` bytes back is cut. */
function cuttingProxy(target: number, cutAfter: number): Promise<{ server: Server; port: number; cuts: () => number }> {
  let cuts = 0;
  const server = createServer((client: Socket) => {
    const upstream = connect(target, '127.0.0.1');
    let sent = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      sent += d.length;
      if (cuts === 0 && sent > cutAfter) {
        cuts++;
        client.write(d.subarray(0, d.length - (sent - cutAfter)));
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(d);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, cuts: () => cuts })),
  );
}

test('a connection dropped mid-download is resumed from the byte where it stopped', async () => {
  const proxy = await cuttingProxy(server.port, 300_000);
  try {
    const log = createMemoryLogger();
    const source = await resolveDumpSource(`s3://${BUCKET}/gghouse/plain-big.sql`, {
      s3: () => client(`http://127.0.0.1:${proxy.port}`),
      log: (m) => log.warn(m),
      backoffMs: () => 10,
    });
    const r = await loadDump(db, { source, schema: `${prefix}resumed`, metaSchema: meta, threads: 2 }, log);
    assert.equal(proxy.cuts(), 1);
    assert.ok(
      log.lines.some((l) => /broke at byte \d+ .*resuming/.test(l)),
      log.lines.join('\n'),
    );
    assert.equal(r.bytes, newest.length);
    assert.deepEqual(await checksums(db, `${prefix}resumed`), await checksums(db, `${prefix}newest`));
  } finally {
    proxy.server.close();
  }
});

test('the CLI loads from S3 with AWS_ENDPOINT_URL_S3 and prints the per-table summary', async () => {
  const r = await runPipeline(
    ['load', '--dump', `s3://${BUCKET}/gghouse/`, '--date', '20260104', '--schema-prefix', prefix, '--schema', 'cli'],
    {
      env: { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'ap-northeast-1' },
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /tenants\s+loaded\s+40\b/);
  assert.match(r.stdout, /published to .*cli: 1 tables loaded \(40 rows\)/);
});
