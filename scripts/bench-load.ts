/**
 * `npm run bench:load -- [--shape generated|dominant|both] [--scale 0.3] [--dump FILE] [--threads N] [--with-inserts] [--compare-keys]`:
 * the staging loader against the plain client on the same server, in one run, on two shapes of dump:
 *   generated  `generate-dump --flavor mariadb` (81 tables, the biggest about half the bytes)
 *   dominant   a real `mariadb-dump` of a schema filled here, one table ~75% of the bytes
 *              (scripts/bench-load/dominant-dump.ts; --scale 1 is ~285 MB)
 * For each: `mariadb db < dump.sql`, our loader, the LOAD DATA ceiling (each table's rows as one
 * LOAD DATA from a ready file, tables in parallel: scripts/bench-load/load-data-ceiling.ts), the
 * unchanged reload through the CLI (`node --import tsx scripts/pipeline.ts load`, process start
 * included) of the same file (its fingerprint matches) and of a copy with one more comment line
 * (every table's hash matches), a reload in which every table changed (the daily case), parse-only
 * MB/s and peak RSS.
 * `--compare-keys` loads once more with the other choice for secondary keys (added after the rows
 * where the loader keeps them in the CREATE, and the reverse), to measure which pays on this server.
 * Dumps are made once per shape and scale and reused from the temp dir.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDumpSource } from '../actions/load/dump-source.ts';
import { loadDump, type LoadOutcome } from '../actions/load/load-dump.ts';
import { bulkBuildsKeys, serverFlavor } from '../actions/load/server-probe.ts';
import { parseDump } from '../actions/load/parse-dump.ts';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent, type Db } from '../actions/platform/db.ts';
import { createLogger, silentLogger } from '../actions/platform/log.ts';
import { CONTENT_HASHES_TABLE } from '../actions/platform/meta.ts';
import { dominantDump } from './bench-load/dominant-dump.ts';
import { loadDataCeiling } from './bench-load/load-data-ceiling.ts';

const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: 'both' },
    scale: { type: 'string' },
    dump: { type: 'string' },
    threads: { type: 'string' },
    'with-inserts': { type: 'boolean' },
    'compare-keys': { type: 'boolean' },
  },
});
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const settings = parseDatabaseUrl(url);
const log = createLogger(process.stderr, { progressIntervalSeconds: 10 });
// Per process: another checkout may run this benchmark on the same server at the same time.
const PREFIX = `bench_load_${process.pid}_`;
const threads = values.threads ? Number(values.threads) : undefined;
const clientArgs = [
  '-h',
  settings.host,
  '-P',
  String(settings.port),
  '-u',
  settings.user,
  ...(settings.password ? [`-p${settings.password}`] : []),
];
const mb = (bytes: number, s: number) => `${(bytes / 1e6 / s).toFixed(1)} MB/s`;

async function dumpFile(db: Db, shape: string): Promise<string> {
  if (values.dump) return values.dump;
  const dir = join(tmpdir(), 'pipeline-bench');
  mkdirSync(dir, { recursive: true });
  if (shape === 'dominant') {
    const scale = Number(values.scale ?? 1);
    const file = join(dir, `gghouse_20260205_dominant_scale${scale}.sql`);
    if (!existsSync(file)) log.info(`building ${file} with mariadb-dump (scale ${scale})`);
    await dominantDump(db, file, scale, clientArgs);
    return file;
  }
  const scale = Number(values.scale ?? 0.3);
  const file = join(dir, `gghouse_20260205_scale${scale}_mariadb.sql`);
  if (!existsSync(file)) {
    log.info(`generating ${file} (scale ${scale})`);
    const pipeline = join(import.meta.dirname, 'pipeline.ts');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', pipeline, 'generate-dump', '--out', file, '--scale', String(scale), '--flavor', 'mariadb'],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('generate-dump failed');
  }
  return file;
}

async function dropAll(db: Db): Promise<void> {
  for (const s of ['plain', 'ours', 'ours__shadow', 'ours__old', 'ins', 'ins__shadow', 'ins__old', 'pipeline_meta', 'meta2'])
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(PREFIX + s)}`);
}

async function benchShape(db: Db, shape: string): Promise<void> {
  const file = await dumpFile(db, shape);
  const bytes = statSync(file).size;
  await dropAll(db);
  const meta = `${PREFIX}pipeline_meta`;
  const ours = (o: { schema?: string; meta?: string; loadData?: boolean; deferIndexes?: boolean } = {}): Promise<LoadOutcome> =>
    resolveDumpSource(file).then((source) =>
      loadDump(
        db,
        {
          source,
          schema: o.schema ?? `${PREFIX}ours`,
          metaSchema: o.meta ?? meta,
          threads,
          loadData: o.loadData,
          deferIndexes: o.deferIndexes,
        },
        log,
      ),
    );
  try {
    log.info(`${shape}: ${file} (${(bytes / 1e6).toFixed(1)} MB)`);
    const parseStart = Date.now();
    const cpu0 = process.cpuUsage();
    const parsed = await parseDump(await resolveDumpSource(file), {}, silentLogger);
    const parseSeconds = (Date.now() - parseStart) / 1000;
    // The machine may be shared: CPU seconds say what the parser costs whatever the contention.
    const cpu = process.cpuUsage(cpu0);
    const parseCpuSeconds = (cpu.user + cpu.system) / 1e6;

    await db.exec(`CREATE DATABASE ${quoteIdent(`${PREFIX}plain`)}`);
    let t = Date.now();
    const plain = spawnSync('mariadb', [...clientArgs, `${PREFIX}plain`], { stdio: [openSync(file, 'r'), 'inherit', 'inherit'] });
    if (plain.status !== 0) throw new Error('the plain client failed');
    const plainSeconds = (Date.now() - t) / 1000;

    t = Date.now();
    const first = await ours();
    const oursSeconds = (Date.now() - t) / 1000;

    const ceiling = await loadDataCeiling(db, settings, file, `${PREFIX}plain`, first.threads ?? 2);

    // Unchanged: through the CLI, as a user runs it (process start included). First the same file
    // (its fingerprint matches: nothing parsed), then a copy with one comment line more (every
    // table's hash matches: parsed and hashed, nothing loaded).
    const cliLoad = (dump: string) => {
      const started = Date.now();
      const cli = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'pipeline.ts'),
          'load',
          '--dump',
          dump,
          '--schema',
          'ours',
          '--schema-prefix',
          PREFIX,
        ],
        { encoding: 'utf8', env: { ...process.env, DATABASE_URL: url } },
      );
      if (cli.status !== 0) throw new Error(`the CLI reload failed: ${cli.stderr}`);
      return { seconds: (Date.now() - started) / 1000, unchanged: /(\d+) unchanged/.exec(cli.stdout)?.[1] ?? '?' };
    };
    const touched = join(tmpdir(), `gghouse_20260205_touched_${process.pid}.sql`);
    writeFileSync(touched, '-- a copy of the same dump\n');
    await pipeline(createReadStream(file), createWriteStream(touched, { flags: 'a' }));
    const { seconds: reloadSeconds, unchanged } = cliLoad(file);
    const perTable = cliLoad(touched);
    rmSync(touched);

    // The daily case: every table has a previous hash (so it is spooled first) and every one changed.
    await db.exec(`UPDATE ${qualified(meta, CONTENT_HASHES_TABLE)} SET content_hash = 'changed'`);
    t = Date.now();
    const changed = await ours();
    const changedSeconds = (Date.now() - t) / 1000;
    if (changed.tables.some((x) => x.status !== 'loaded')) throw new Error('the changed reload skipped a table');

    let insertSeconds: number | undefined;
    if (values['with-inserts']) {
      t = Date.now();
      await ours({ schema: `${PREFIX}ins`, meta: `${PREFIX}meta2`, loadData: false });
      insertSeconds = (Date.now() - t) / 1000;
    }
    // The other choice for secondary keys (kept in the CREATE, or added after the rows), on the same server.
    let otherKeys: { defer: boolean; seconds: number; big: number } | undefined;
    if (values['compare-keys']) {
      // The loader's default defers keys where the server has no bulk path for an empty table.
      const defer = bulkBuildsKeys(await serverFlavor(db));
      t = Date.now();
      const other = await ours({ schema: `${PREFIX}ins`, meta: `${PREFIX}meta2`, deferIndexes: defer });
      const otherBig = [...other.tables].sort((a, b) => b.bytes - a.bytes)[0]!;
      otherKeys = { defer, seconds: (Date.now() - t) / 1000, big: otherBig.seconds };
    }
    const big = [...first.tables].sort((a, b) => b.bytes - a.bytes)[0]!;
    // Time the goal compares: from the table's CREATE to its last row in, the wait for the parser included.
    const bigSeconds = big.seconds;
    const rows: string[][] = [
      ['plain client (mariadb db < dump.sql)', `${plainSeconds.toFixed(1)} s`, mb(bytes, plainSeconds)],
      [
        `our loader (${first.threads} connections, ${first.batches!.loadData} LOAD DATA + ${first.batches!.insert} INSERT statements)`,
        `${oursSeconds.toFixed(1)} s`,
        mb(bytes, oursSeconds),
      ],
      [
        `LOAD DATA ceiling (one per table, ready files, ${first.threads} connections)`,
        `${ceiling.seconds.toFixed(1)} s`,
        mb(bytes, ceiling.seconds),
      ],
      ...(insertSeconds !== undefined ? [['our loader, INSERTs only', `${insertSeconds.toFixed(1)} s`, mb(bytes, insertSeconds)]] : []),
      [
        `unchanged reload through the CLI, the same file (${unchanged} tables unchanged)`,
        `${reloadSeconds.toFixed(1)} s`,
        mb(bytes, reloadSeconds),
      ],
      [
        `unchanged reload through the CLI, another file of the same tables (${perTable.unchanged} unchanged)`,
        `${perTable.seconds.toFixed(1)} s`,
        mb(bytes, perTable.seconds),
      ],
      ['changed reload (every table spooled, then loaded)', `${changedSeconds.toFixed(1)} s`, mb(bytes, changedSeconds)],
      ['parse only (wall clock)', `${parseSeconds.toFixed(2)} s`, mb(parsed.bytes, parseSeconds)],
      ['parse only (per CPU second)', `${parseCpuSeconds.toFixed(2)} s`, mb(parsed.bytes, parseCpuSeconds)],
    ];
    const w = Math.max(...rows.map((r) => r[0]!.length));
    console.log(
      `\nbench:load ${shape} — ${file}, ${(bytes / 1e6).toFixed(1)} MB, ${parsed.tables.length} tables, ${parsed.tables.reduce((a, x) => a + x.rows, 0)} rows`,
    );
    for (const r of rows) console.log(`  ${r[0]!.padEnd(w)}  ${r[1]!.padStart(9)}  ${r[2]!.padStart(12)}`);
    console.log(
      `  speed-up vs the plain client: ${(plainSeconds / oursSeconds).toFixed(2)}x; ceiling ${(plainSeconds / ceiling.seconds).toFixed(2)}x`,
    );
    console.log(
      `  biggest table ${big.table} (${(big.bytes / 1e6).toFixed(0)} MB): ${bigSeconds.toFixed(1)} s in our load from its CREATE to its end (its statements ran ${big.serverSeconds!.toFixed(1)} s), ${ceiling.biggest.seconds.toFixed(1)} s as one LOAD DATA of a ready file (${(bigSeconds / ceiling.biggest.seconds).toFixed(2)}x)`,
    );
    if (ceiling.skippedRows) console.log(`  (the ceiling leaves out ${ceiling.skippedRows} rows LOAD DATA cannot read as they are)`);
    if (insertSeconds !== undefined) console.log(`  LOAD DATA vs INSERTs: ${(insertSeconds / oursSeconds).toFixed(2)}x`);
    if (otherKeys)
      console.log(
        `  secondary keys ${otherKeys.defer ? 'added after the rows' : 'kept in the CREATE'} instead: ${otherKeys.seconds.toFixed(1)} s (${(otherKeys.seconds / oursSeconds).toFixed(2)}x our load), the biggest table ${otherKeys.big.toFixed(1)} s against ${big.seconds.toFixed(1)} s`,
      );
    console.log(
      `  unchanged reload speed-up (CLI, process start included): ${(oursSeconds / reloadSeconds).toFixed(1)}x the same file, ${(oursSeconds / perTable.seconds).toFixed(1)}x another file of the same tables`,
    );
    console.log(`  parse-only: ${mb(parsed.bytes, parseSeconds)} wall clock, ${mb(parsed.bytes, parseCpuSeconds)} per CPU second`);
  } finally {
    await dropAll(db);
  }
}

const db = await openDb(settings, { connections: 4 });
try {
  const shapes = values.shape === 'both' ? ['generated', 'dominant'] : [values.shape!];
  for (const shape of shapes) await benchShape(db, shape);
  console.log(`\npeak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await db.close();
}
