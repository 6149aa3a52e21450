/**
 * A big table shared between connections, on a real server. Where the load does not use the bulk
 * path for an empty table (MySQL 8 and Aurora; `bulkInsert: false` here, since the machine's
 * MariaDB 10.11 has that path), a table is cut into chunks that idle connections load side by side,
 * but a table with an AUTO_INCREMENT column only where innodb_autoinc_lock_mode is 2: with 1 (MariaDB's
 * default) concurrent bulk inserts into it take turns on its AUTO-INC lock, so it goes as one stream.
 * Proven on a private MariaDB started in each mode (the mode is read only at start), with
 * performance_schema's statement history telling which connection ran which LOAD DATA and when;
 * every load is compared with what the plain `mariadb` client loads from the same `mariadb-dump`:
 * rows, CHECKSUM TABLE, and SHOW CREATE TABLE with its AUTO_INCREMENT counter (the dump's
 * `AUTO_INCREMENT=`, above the highest id: the last rows were deleted before the dump).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { loadDump, type LoadOptions, type LoadOutcome } from '../../actions/load/load-dump.ts';
import { openDb, parseDatabaseUrl, qualified, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { findBinary } from '../../scripts/local-server.ts';
import { type PrivateServer, privateServerAvailable, startPrivateServer } from '../../scripts/reliability/private-server.ts';

const available = privateServerAvailable() && findBinary(['mariadb-dump']) !== undefined && findBinary(['mariadb']) !== undefined;
const skip = !available && 'no mariadbd, mariadb-install-db, mariadb-dump and mariadb client here';

/** performance_schema on, with a history of every statement long enough for a whole load. */
const OBSERVED = [
  '--performance-schema=ON',
  // The history is filled from the current statements: both consumers on.
  '--performance-schema-consumer-events-statements-current=ON',
  '--performance-schema-consumer-events-statements-history-long=ON',
  '--performance-schema-events-statements-history-long-size=10000',
];
const BIG = 'contracts_history';
const NO_AUTOINC = 'access_events';
/** Bytes of one shared chunk: the big table (2.5 MB in INSERTs of up to 64 KB) becomes about 13 of them. */
const CHUNK = 128 << 10;

let server: PrivateServer;
let db: Db;
let dir: string;
let dump: string;
/** What the plain client loaded: SHOW CREATE TABLE (with AUTO_INCREMENT) and rows with checksum, per table. */
let reference: Record<string, string>;
/** The big table's `AUTO_INCREMENT=` in the dump. */
let dumpCounter: number;

const clientArgs = () => ['-h', '127.0.0.1', '-P', String(server.port), '-u', 'root'];

async function connect(): Promise<void> {
  db = await openDb(parseDatabaseUrl(server.url), { connections: 2 });
}

before(async () => {
  if (!available) return;
  server = await startPrivateServer(['--innodb-autoinc-lock-mode=2', ...OBSERVED]);
  await connect();
  dir = mkdtempSync(join(tmpdir(), 'load-autoinc-'));
  await db.exec('CREATE DATABASE src CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  await db.withSession(async (s) => {
    await s.exec('USE src');
    await s.exec(`CREATE TABLE ${BIG} (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      tenant_id INT NOT NULL,
      code VARCHAR(32) NOT NULL,
      body TEXT NOT NULL,
      created_at DATETIME NOT NULL,
      KEY by_tenant (tenant_id),
      KEY by_code (code)
    ) ENGINE=InnoDB`);
    // ~700 bytes a row: Japanese text over several lines, quotes of both kinds, a backslash.
    await s.exec(
      `INSERT INTO ${BIG} (tenant_id, code, body, created_at)
       SELECT seq % 500, MD5(seq),
         CONCAT(REPEAT('契約の更新について、入居者様へご案内いたします。', 5), '\\n"備考" ''注意'' \\\\ ', seq, '\\r\\n',
                REPEAT('賃料は毎月末日までにお支払いください。', 4), IF(seq % 97 = 0, '\\0\\Z\\t', '')),
         '2026-02-05 10:00:00' - INTERVAL (seq % 1000) DAY
       FROM seq_1_to_4200`,
    );
    // Gaps, a row with id 0 (kept as 0 under the dump's NO_AUTO_VALUE_ON_ZERO), and the last rows
    // deleted: the dump's AUTO_INCREMENT= stays above the highest id.
    await s.exec(`DELETE FROM ${BIG} WHERE id % 11 = 0 OR id > 4000`);
    await s.exec("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'");
    await s.exec(`INSERT INTO ${BIG} VALUES (0, 0, 'zero', 'ゼロ番の行', '2026-01-01 00:00:00')`);
    await s.exec(
      `CREATE TABLE ${NO_AUTOINC} (id INT NOT NULL PRIMARY KEY, room_id INT NOT NULL, kind VARCHAR(16) NOT NULL, at DATETIME NOT NULL, KEY by_room (room_id)) ENGINE=InnoDB`,
    );
    await s.exec(
      `INSERT INTO ${NO_AUTOINC} SELECT seq, seq % 900, ELT(1 + seq % 3, 'open', 'close', 'alarm'), '2026-02-05' - INTERVAL (seq % 5000) MINUTE FROM seq_1_to_12000`,
    );
    await s.exec('CREATE TABLE rooms (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL) ENGINE=InnoDB');
    await s.exec("INSERT INTO rooms (name) SELECT CONCAT('部屋 ', seq) FROM seq_1_to_30");
  });
  dump = join(dir, 'dump.sql');
  // Extended INSERTs of about 64 KB (the client's default is 1 MB): two per chunk.
  const fd = openSync(dump, 'w');
  try {
    execFileSync(
      'mariadb-dump',
      [...clientArgs(), '--default-character-set=utf8mb4', '--single-transaction', '--net-buffer-length=65536', 'src'],
      { stdio: ['ignore', fd, 'inherit'] },
    );
  } finally {
    closeSync(fd);
  }
  await db.exec('CREATE DATABASE plain CHARACTER SET utf8mb4');
  execFileSync('mariadb', [...clientArgs(), '--binary-mode', 'plain'], { input: readFileSync(dump) });
  reference = await contents('plain');
  dumpCounter = Number(
    /CREATE TABLE `contracts_history` \([\s\S]*?\) ENGINE=InnoDB AUTO_INCREMENT=(\d+)/.exec(readFileSync(dump, 'utf8'))?.[1],
  );
});

after(async () => {
  if (!available) return;
  await db?.close();
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Per table: rows and CHECKSUM TABLE, and SHOW CREATE TABLE with its AUTO_INCREMENT counter. */
async function contents(schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tables = await db.query<{ n: string }>(
    "SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1",
    [schema],
  );
  for (const { n } of tables) {
    const [c] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(schema, n)}`);
    const [r] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(schema, n)}`);
    const [shape] = await db.query<Record<string, string>>(`SHOW CREATE TABLE ${qualified(schema, n)}`);
    out[n] = `${r!.n} rows, checksum ${c!.Checksum}\n${shape!['Create Table']}`;
  }
  return out;
}

/** The big table's AUTO_INCREMENT counter in `contents`. */
function counterOf(c: Record<string, string>): number {
  return Number(/ AUTO_INCREMENT=(\d+) /.exec(c[BIG]!)?.[1]);
}

/** A LOAD DATA as performance_schema saw it: which connection, from when to when (picoseconds). */
interface Ran {
  thread: number;
  start: bigint;
  end: bigint;
}

/** The LOAD DATA statements into `table` since the history was last emptied, in start order. */
async function loadsInto(table: string): Promise<Ran[]> {
  const rows = await db.query<{ thread: number; start: string; end: string }>(
    `SELECT THREAD_ID AS thread, CAST(TIMER_START AS CHAR) AS start, CAST(TIMER_END AS CHAR) AS end
     FROM performance_schema.events_statements_history_long
     WHERE SQL_TEXT LIKE 'LOAD DATA LOCAL INFILE%' AND SQL_TEXT LIKE ? ORDER BY TIMER_START`,
    [`% INTO TABLE \`${table}\` %`],
  );
  return rows.map((r) => ({ thread: Number(r.thread), start: BigInt(r.start), end: BigInt(r.end) }));
}

/** Two statements on different connections that ran at the same time. */
function overlapping(runs: Ran[]): boolean {
  return runs.some((a) => runs.some((b) => a.thread !== b.thread && a.start < b.end && b.start < a.end));
}

async function load(schema: string, o: Partial<LoadOptions> = {}): Promise<LoadOutcome> {
  await db.exec('TRUNCATE TABLE performance_schema.events_statements_history_long');
  return loadDump(
    db,
    { source: await resolveDumpSource(dump), schema, metaSchema: 'pipeline_meta', threads: 3, ...o },
    createMemoryLogger(),
  );
}

test('the dump is what the test means: a big table with gaps, an id 0 and AUTO_INCREMENT= above its highest id', { skip }, (t) => {
  // INSERT … SELECT reserved ids in growing batches, so the source's counter is well above 4001.
  assert.ok(dumpCounter > 4001, `AUTO_INCREMENT=${dumpCounter}`);
  assert.match(reference[BIG]!, /^3638 rows/);
  assert.equal(counterOf(reference), dumpCounter, 'the plain client keeps the dump’s counter');
  const inserts = readFileSync(dump, 'utf8').match(/^INSERT INTO `contracts_history`/gm)?.length ?? 0;
  assert.ok(inserts >= 24, `${inserts} INSERTs`);
  t.diagnostic(`dump ${statSync(dump).size} bytes, ${inserts} INSERTs into ${BIG}, AUTO_INCREMENT=${dumpCounter}`);
});

test('with innodb_autoinc_lock_mode=2, a big AUTO_INCREMENT table loads in chunks, on several connections at once, the same as the plain client', {
  skip,
}, async (t) => {
  const [{ m }] = await db.query<{ m: number }>('SELECT @@innodb_autoinc_lock_mode AS m');
  assert.equal(Number(m), 2);
  const r = await load('chunked', { bulkInsert: false, chunkBytes: CHUNK });
  const big = await loadsInto(BIG);
  const threads = new Set(big.map((x) => x.thread));
  assert.ok(big.length >= 8, `${big.length} LOAD DATA into ${BIG}`);
  assert.ok(threads.size >= 2, `${BIG} loaded by ${threads.size} connection(s)`);
  assert.ok(overlapping(big), 'two chunks of the table ran at the same time');
  assert.ok((await loadsInto(NO_AUTOINC)).length >= 2);
  assert.ok(r.batches!.loadData >= big.length + 2);
  t.diagnostic(`${big.length} LOAD DATA into ${BIG} on ${threads.size} connections, ${r.batches!.loadData} in all, ${r.seconds} s`);
  const loaded = await contents('chunked');
  assert.equal(counterOf(loaded), dumpCounter, 'the dump’s AUTO_INCREMENT= is kept');
  assert.deepEqual(loaded, reference);
});

test('on MariaDB 10.6+ the loader keeps each table in one LOAD DATA by default, even with innodb_autoinc_lock_mode=2 (the bulk path for an empty table)', {
  skip,
}, async () => {
  await load('bulk');
  assert.equal((await loadsInto(BIG)).length, 1);
  assert.equal((await loadsInto(NO_AUTOINC)).length, 1);
  const loaded = await contents('bulk');
  assert.equal(counterOf(loaded), dumpCounter, 'the dump’s AUTO_INCREMENT= is kept');
  assert.deepEqual(loaded, reference);
});

test('with innodb_autoinc_lock_mode=1, the AUTO_INCREMENT table goes as one stream and a table without one still in chunks', {
  skip,
}, async () => {
  await db.close();
  await server.stop();
  await server.start(OBSERVED);
  await connect();
  const [{ m }] = await db.query<{ m: number }>('SELECT @@innodb_autoinc_lock_mode AS m');
  assert.equal(Number(m), 1);
  assert.deepEqual(await contents('plain'), reference, 'the reference survived the restart');
  await load('consecutive', { bulkInsert: false, chunkBytes: CHUNK });
  assert.equal((await loadsInto(BIG)).length, 1);
  assert.ok((await loadsInto(NO_AUTOINC)).length >= 2);
  const loaded = await contents('consecutive');
  assert.equal(counterOf(loaded), dumpCounter, 'the dump’s AUTO_INCREMENT= is kept');
  assert.deepEqual(loaded, reference);
});
