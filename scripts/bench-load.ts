/**
 * `npm run bench:load -- [--scale 0.3] [--dump FILE] [--threads N] [--with-inserts]`: the staging loader against the
 * plain client on the same server, in one run. Prints seconds and MB/s for `mariadb db < dump.sql`
 * and for our loader (its default: plain batches as LOAD DATA LOCAL INFILE; with --with-inserts
 * also every batch as an INSERT), the ratio, parse-only MB/s, peak RSS,
 * the speed-up of reloading an unchanged dump, and a reload in which every table changed (the daily
 * case: each table waits in the spool until its hash is known, then loads). The dump is generated once per scale
 * (mariadb-dump flavour, so the plain client can load it unedited) and reused from the temp dir.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent } from '../actions/platform/db.ts';
import { CONTENT_HASHES_TABLE } from '../actions/platform/meta.ts';
import { createLogger, silentLogger } from '../actions/platform/log.ts';
import { resolveDumpSource } from '../actions/load/dump-source.ts';
import { loadDump } from '../actions/load/load-dump.ts';
import { parseDump } from '../actions/load/parse-dump.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.3' },
    dump: { type: 'string' },
    threads: { type: 'string' },
    'with-inserts': { type: 'boolean' },
  },
});
const scale = Number(values.scale);
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const settings = parseDatabaseUrl(url);
const log = createLogger(process.stderr, { progressIntervalSeconds: 10 });
const PREFIX = 'bench_load_';

function dumpFile(): string {
  if (values.dump) return values.dump;
  const dir = join(tmpdir(), 'pipeline-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `gghouse_20260205_scale${scale}_mariadb.sql`);
  if (!existsSync(file)) {
    log.info(`generating ${file} (scale ${scale})`);
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'pipeline.ts'),
        'generate-dump',
        '--out',
        file,
        '--scale',
        String(scale),
        '--flavor',
        'mariadb',
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('generate-dump failed');
  }
  return file;
}

function clientArgs(): string[] {
  return ['-h', settings.host, '-P', String(settings.port), '-u', settings.user, ...(settings.password ? [`-p${settings.password}`] : [])];
}

const mb = (bytes: number, s: number) => `${(bytes / 1e6 / s).toFixed(1)} MB/s`;

async function main(): Promise<void> {
  const file = dumpFile();
  const bytes = statSync(file).size;
  const db = await openDb(settings, { connections: 4 });
  const threads = values.threads ? Number(values.threads) : undefined;
  const drop = async () => {
    for (const s of ['plain', 'ours', 'ours__shadow', 'ours__old', 'ins', 'ins__shadow', 'ins__old', 'meta', 'meta2'])
      await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(PREFIX + s)}`);
  };
  await drop();
  try {
    log.info(`dump: ${file} (${(bytes / 1e6).toFixed(1)} MB)`);

    const parseStart = Date.now();
    const cpu0 = process.cpuUsage();
    const parsed = await parseDump(await resolveDumpSource(file), {}, silentLogger);
    const parseSeconds = (Date.now() - parseStart) / 1000;
    // The machine may be shared: CPU seconds say what the parser costs whatever the contention.
    const cpu = process.cpuUsage(cpu0);
    const parseCpuSeconds = (cpu.user + cpu.system) / 1e6;

    await db.exec(`CREATE DATABASE ${quoteIdent(PREFIX + 'plain')}`);
    let t = Date.now();
    const plain = spawnSync('mariadb', [...clientArgs(), PREFIX + 'plain'], { stdio: [openSync(file, 'r'), 'inherit', 'inherit'] });
    if (plain.status !== 0) throw new Error('the plain client failed');
    const plainSeconds = (Date.now() - t) / 1000;

    t = Date.now();
    const first = await loadDump(
      db,
      { source: await resolveDumpSource(file), schema: PREFIX + 'ours', metaSchema: PREFIX + 'meta', threads },
      log,
    );
    const oursSeconds = (Date.now() - t) / 1000;

    t = Date.now();
    const again = await loadDump(
      db,
      { source: await resolveDumpSource(file), schema: PREFIX + 'ours', metaSchema: PREFIX + 'meta', threads },
      log,
    );
    const reloadSeconds = (Date.now() - t) / 1000;
    const unchanged = again.tables.filter((x) => x.status === 'unchanged').length;

    // The daily case: every table has a previous hash (so it is spooled first) and every one changed.
    await db.exec(`UPDATE ${qualified(PREFIX + 'meta', CONTENT_HASHES_TABLE)} SET content_hash = 'changed'`);
    t = Date.now();
    const changed = await loadDump(
      db,
      { source: await resolveDumpSource(file), schema: PREFIX + 'ours', metaSchema: PREFIX + 'meta', threads },
      log,
    );
    const changedSeconds = (Date.now() - t) / 1000;
    if (changed.tables.some((x) => x.status !== 'loaded')) throw new Error('the changed reload skipped a table');

    let insertSeconds: number | undefined;
    if (values['with-inserts']) {
      t = Date.now();
      await loadDump(
        db,
        { source: await resolveDumpSource(file), schema: PREFIX + 'ins', metaSchema: PREFIX + 'meta2', threads, loadData: false },
        log,
      );
      insertSeconds = (Date.now() - t) / 1000;
    }
    const rssMb = process.resourceUsage().maxRSS / 1024;

    const rows = [
      ['plain client (mariadb db < dump.sql)', `${plainSeconds.toFixed(1)} s`, mb(bytes, plainSeconds)],
      [
        `our loader (${first.threads} connections, ${first.batches!.loadData} LOAD DATA + ${first.batches!.insert} INSERT batches)`,
        `${oursSeconds.toFixed(1)} s`,
        mb(bytes, oursSeconds),
      ],
      ...(insertSeconds !== undefined
        ? [[`our loader (${first.threads} connections, INSERTs only)`, `${insertSeconds.toFixed(1)} s`, mb(bytes, insertSeconds)]]
        : []),
      [`unchanged reload (${unchanged}/${again.tables.length} tables skipped)`, `${reloadSeconds.toFixed(1)} s`, mb(bytes, reloadSeconds)],
      ['changed reload (every table spooled, then loaded)', `${changedSeconds.toFixed(1)} s`, mb(bytes, changedSeconds)],
      ['parse only (wall clock)', `${parseSeconds.toFixed(2)} s`, mb(parsed.bytes, parseSeconds)],
      ['parse only (per CPU second)', `${parseCpuSeconds.toFixed(2)} s`, mb(parsed.bytes, parseCpuSeconds)],
    ];
    const w = Math.max(...rows.map((r) => r[0]!.length));
    console.log(
      `\nbench:load — ${file}, ${(bytes / 1e6).toFixed(1)} MB, ${parsed.tables.length} tables, ${parsed.tables.reduce((a, x) => a + x.rows, 0)} rows`,
    );
    for (const r of rows) console.log(`  ${r[0]!.padEnd(w)}  ${r[1]!.padStart(9)}  ${r[2]!.padStart(12)}`);
    console.log(`  speed-up vs the plain client: ${(plainSeconds / oursSeconds).toFixed(2)}x (goal >= 2x)`);
    if (insertSeconds !== undefined)
      console.log(`  LOAD DATA vs INSERTs: ${(insertSeconds / oursSeconds).toFixed(2)}x (above 1: LOAD DATA is faster)`);
    console.log(`  unchanged reload speed-up: ${(oursSeconds / reloadSeconds).toFixed(1)}x (goal >= 10x)`);
    console.log(
      `  parse-only: ${mb(parsed.bytes, parseSeconds)} wall clock, ${mb(parsed.bytes, parseCpuSeconds)} per CPU second (goal >= 500 MB/s)`,
    );
    console.log(`  peak RSS of this process: ${rssMb.toFixed(0)} MB (goal < 300 MB)`);
  } finally {
    await drop();
    await db.close();
  }
}

await main();
