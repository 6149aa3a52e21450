/**
 * Benchmark of cleanup's archive: our writer plus its read-back verification against the plain
 * `mariadb-dump --single-transaction | gzip -6` alone, on the same schema, in the same run.
 *   npm run bench:archive -- [--scale N] [--runs N]    (scale 1: about 335 MB of SQL, 300 MB of InnoDB, 4 tables)
 * The schema looks like a legacy copy of the vendor database: Japanese text, hashes, dates,
 * decimals, some binary values, a composite key, a table without a key. Each run times the
 * reference then ours; the ratio is ours / reference per run. Also measures zlib levels on the
 * first 64 MB of the text, the figures the archive's gzip level was chosen by.
 * The machine is shared: figures are noisy, so read the runs side by side.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGunzip, gzipSync } from 'node:zlib';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent, type Db } from '../actions/platform/db.ts';
import { writeSchemaArchive } from '../actions/cleanup/archive-writer.ts';
import { compareManifests, readArchiveFile } from '../actions/cleanup/archive-reader.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, runs: { type: 'string', default: '2' } } });
const scale = Number(values.scale);
const runs = Number(values.runs);
const settings = parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const db = await openDb(settings, { connections: 4 });
const schema = `bench_archive_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'bench-archive-'));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

/** Fills a table from a recursive CTE of n rows (i = 1..n). */
async function fill(table: string, ddl: string, n: number, select: string): Promise<void> {
  const t = qualified(schema, table);
  await db.exec(`CREATE TABLE ${t} ${ddl}`);
  await db.withSession(async (s) => {
    // Recursion limits: MariaDB's max_recursive_iterations, MySQL's cte_max_recursion_depth.
    for (const v of ['max_recursive_iterations', 'cte_max_recursion_depth']) await s.exec(`SET SESSION ${v} = ${n + 1}`).catch(() => {});
    await s.exec(`INSERT INTO ${t} WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) ${select} FROM n`);
  });
}

async function build(): Promise<void> {
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  const k = (n: number) => Math.round(n * scale);
  await fill(
    'events',
    '(id INT PRIMARY KEY, tenant_id INT, kind VARCHAR(20), note VARCHAR(300), amount DECIMAL(12,2), at DATETIME, payload BLOB)',
    k(1_200_000),
    `SELECT i, i % 50000, ELT(1 + i % 4, 'inquiry', 'contract', 'movein', 'moveout'),
            CONCAT('メモ ', i, ' ', MD5(i), ' it''s "quoted"\\n', SHA1(i)), (i % 100000) / 7,
            '2026-02-05 00:00:00' - INTERVAL (i * 7 % 500000) MINUTE, IF(i % 10 = 0, UNHEX(MD5(i)), NULL)`,
  );
  await fill(
    'tenants',
    '(id INT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), address VARCHAR(200), status TINYINT, created_at DATETIME, updated_at DATETIME)',
    k(600_000),
    `SELECT i, CONCAT(ELT(1 + i % 5, '田中', '鈴木', '佐藤', '高橋', 'Smith'), ' ', SUBSTR(MD5(i), 1, 6)),
            CONCAT('tenant', i, '@example.jp'), CONCAT('東京都新宿区', i % 100, '-', i % 7, ' ', REPEAT('ハイツ', 1 + i % 3), ' ', i % 500, '号室'),
            i % 4, '2020-01-01' + INTERVAL (i % 2000) DAY, '2026-01-01' + INTERVAL (i % 86400) SECOND`,
  );
  await fill(
    'movings',
    '(tenant_id INT, seq INT, moved_in DATE, moved_out DATE NULL, rent DECIMAL(10,0), memo VARCHAR(50) NULL, PRIMARY KEY (tenant_id, seq))',
    k(960_000),
    `SELECT i DIV 3, i % 3, '2024-01-01' + INTERVAL (i % 700) DAY, IF(i % 4 = 0, NULL, '2025-01-01' + INTERVAL (i % 300) DAY),
            40000 + i % 30000, IF(i % 5 = 0, CONCAT('退去予定 ', i % 12, '月'), NULL)`,
  );
  await fill(
    'audit_log',
    '(at DATETIME, message TEXT)',
    k(60_000),
    `SELECT '2026-02-05' - INTERVAL i SECOND, CONCAT('login ', SHA2(i, 256), ' ', SHA2(i + 1, 256))`,
  );
}

function reference(out: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(
    'bash',
    [
      '-c',
      'set -o pipefail; mariadb-dump -h"$1" -P"$2" -u"$3" --single-transaction "$4" | gzip -6 > "$5"',
      'bench',
      settings.host,
      String(settings.port),
      settings.user,
      schema,
      out,
    ],
    { env: { ...process.env, MYSQL_PWD: settings.password ?? '' } },
  );
  if (r.status !== 0) throw new Error(`mariadb-dump | gzip failed: ${r.stderr}`);
  return seconds(start);
}

async function ours(out: string): Promise<{ write: number; verify: number; problems: string[]; rows: number }> {
  let start = process.hrtime.bigint();
  const written = await writeSchemaArchive(db, schema, out);
  const write = seconds(start);
  start = process.hrtime.bigint();
  const read = await readArchiveFile(out, schema);
  const verify = seconds(start);
  return { write, verify, problems: compareManifests(written, read), rows: written.tables.reduce((n, t) => n + t.rows, 0) };
}

/** The first `limit` bytes of a gzip file's text. */
async function head(file: string, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip())) {
    parts.push(chunk as Buffer);
    n += (chunk as Buffer).length;
    if (n >= limit) break;
  }
  return Buffer.concat(parts).subarray(0, limit);
}

async function textBytes(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip())) n += (chunk as Buffer).length;
  return n;
}

async function main(db: Db): Promise<void> {
  let start = process.hrtime.bigint();
  await build();
  for (const t of ['events', 'tenants', 'movings', 'audit_log']) await db.query(`ANALYZE TABLE ${qualified(schema, t)}`);
  const [size] = await db.query<{ bytes: string }>(
    'SELECT SUM(DATA_LENGTH + INDEX_LENGTH) AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
    [schema],
  );
  console.log(`schema built in ${seconds(start).toFixed(0)}s: ${mb(Number(size?.bytes ?? 0))} MB of InnoDB data and indexes`);
  const ref = join(dir, 'ref.sql.gz');
  const mine = join(dir, 'ours.sql.gz');
  for (let run = 1; run <= runs; run++) {
    rmSync(ref, { force: true });
    rmSync(mine, { force: true });
    const refS = reference(ref);
    const o = await ours(mine);
    if (run === 1) {
      const [refText, ourText] = [await textBytes(ref), await textBytes(mine)];
      console.log(
        `rows: ${o.rows.toLocaleString('en-US')}; SQL text: mariadb-dump ${mb(refText)} MB, ours ${mb(ourText)} MB (binary values as hex)`,
      );
      console.log(`gzip: mariadb-dump|gzip -6 ${mb(statSync(ref).size)} MB, ours (zlib level 1) ${mb(statSync(mine).size)} MB`);
    }
    console.log(
      `run ${run}: mariadb-dump|gzip -6 ${refS.toFixed(2)}s; ours write ${o.write.toFixed(2)}s + verify ${o.verify.toFixed(2)}s = ${(o.write + o.verify).toFixed(2)}s` +
        ` (${o.problems.length ? `VERIFY FAILED: ${o.problems.join('; ')}` : 'read back identical'}); ratio ${((o.write + o.verify) / refS).toFixed(2)}x`,
    );
  }
  start = process.hrtime.bigint();
  const sample = await head(mine, 64 << 20);
  const levels = [1, 3, 6].map((level) => {
    const t = process.hrtime.bigint();
    const packed = gzipSync(sample, { level });
    return `level ${level}: ${(sample.length / 1024 / 1024 / seconds(t)).toFixed(0)} MB/s, ${(sample.length / packed.length).toFixed(1)}:1`;
  });
  console.log(`zlib on the first ${mb(sample.length)} MB of our text: ${levels.join('; ')}`);
}

try {
  await main(db);
} finally {
  await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(schema)}`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
