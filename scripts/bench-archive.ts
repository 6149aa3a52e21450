/**
 * Benchmark of cleanup's archive: our writer (plus its read-back verification) against the plain
 * `mariadb-dump --single-transaction | gzip` on the same schema, in the same run.
 *   npm run bench:archive -- [--rows N]    (default 300,000 rows)
 * Prints seconds, MB/s of uncompressed SQL, and the ratios. The machine is shared: figures are noisy.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent } from '../actions/platform/db.ts';
import { writeSchemaArchive } from '../actions/cleanup/archive-writer.ts';
import { compareManifests, readArchiveFile } from '../actions/cleanup/archive-reader.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '300000' } } });
const rows = Number(values.rows);
const settings = parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const db = await openDb(settings, { connections: 2 });
const schema = `bench_archive_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'bench-archive-'));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
try {
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  const t = qualified(schema, 'events');
  await db.exec(
    `CREATE TABLE ${t} (id INT PRIMARY KEY, tenant_id INT, kind VARCHAR(20), note VARCHAR(200), amount DECIMAL(12,2), at DATETIME, payload BLOB)`,
  );
  await db.withSession(async (session) => {
    // Recursion limits: MariaDB's max_recursive_iterations, MySQL's cte_max_recursion_depth.
    for (const v of ['max_recursive_iterations', 'cte_max_recursion_depth'])
      await session.exec(`SET SESSION ${v} = ${rows + 1}`).catch(() => {});
    await session.exec(`INSERT INTO ${t} WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
      SELECT i, i % 5000, ELT(1 + i % 4, 'inquiry', 'contract', 'movein', 'moveout'), CONCAT('メモ ', i, ' it''s "quoted"\\n', REPEAT('x', i % 80)),
             (i % 100000) / 7, '2026-02-05 00:00:00' - INTERVAL (i % 10000) MINUTE, IF(i % 10 = 0, UNHEX(MD5(i)), NULL) FROM n`);
  });
  const ours = join(dir, 'ours.sql.gz');
  let start = process.hrtime.bigint();
  const written = await writeSchemaArchive(db, schema, ours);
  const writeS = seconds(start);
  start = process.hrtime.bigint();
  const problems = compareManifests(written, await readArchiveFile(ours, schema));
  const verifyS = seconds(start);
  const sqlBytes = gunzipSync(readFileSync(ours)).length;

  const ref = join(dir, 'ref.sql.gz');
  start = process.hrtime.bigint();
  const r = spawnSync(
    'bash',
    [
      '-c',
      `mariadb-dump -h"$1" -P"$2" -u"$3" --single-transaction "$4" | gzip -6 > "$5"`,
      'bench',
      settings.host,
      String(settings.port),
      settings.user,
      schema,
      ref,
    ],
    {
      env: { ...process.env, MYSQL_PWD: settings.password ?? '' },
    },
  );
  const refS = seconds(start);
  if (r.status !== 0) throw new Error(`mariadb-dump failed: ${r.stderr}`);
  const refBytes = Number(execFileSync('bash', ['-c', `gunzip -c "$1" | wc -c`, 'x', ref]).toString().trim());

  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  console.log(`rows: ${written.tables[0]!.rows.toLocaleString('en-US')}, verify: ${problems.length ? problems.join('; ') : 'identical'}`);
  console.log(
    `ours:            write ${writeS.toFixed(2)}s (${mb(sqlBytes)} MB SQL, ${(sqlBytes / 1024 / 1024 / writeS).toFixed(1)} MB/s, ${mb(statSync(ours).size)} MB gz), read-back verify ${verifyS.toFixed(2)}s`,
  );
  console.log(
    `mariadb-dump|gz: ${refS.toFixed(2)}s (${mb(refBytes)} MB SQL, ${(refBytes / 1024 / 1024 / refS).toFixed(1)} MB/s, ${mb(statSync(ref).size)} MB gz)`,
  );
  console.log(
    `ratio write/mariadb-dump: ${(writeS / refS).toFixed(2)}x; write+verify/mariadb-dump: ${((writeS + verifyS) / refS).toFixed(2)}x`,
  );
} finally {
  await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(schema)}`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
