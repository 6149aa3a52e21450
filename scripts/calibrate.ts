/**
 * `npm run calibrate [-- --scale F] [--date YYYYMMDD] [--seed N]`: does the generated vendor dump
 * tell the old report's story? Generates a dump (default scale 1 of 2026-02-05, the report's day),
 * runs `pipeline daily` on it under a schema prefix of its own, and prints the five figures of the
 * old system's report (reference/glue-etl-report-2026-02-05.md) next to the generated ones, with
 * their ratio to the report's figure times the scale. Exit 1 when a ratio is outside 0.9–1.1 (at
 * small scales, where a figure is a few dozen rows, outside two standard deviations of its count).
 * Everything it creates (the dump, the schemas) is removed at the end. Not part of `npm test`:
 * scale 1 takes a minute or two (README of scripts/generate-dump, "Calibration").
 *
 * daily_activity_summary counts days (one row per activity day and tenant type over eight years
 * of history), not contracts: it does not shrink with the scale, so its ratio is only checked
 * at scale 1.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent, type Db } from '../actions/platform/db.ts';
import { silentLogger } from '../actions/platform/log.ts';
import { generateDump } from './generate-dump/generate-dump.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PIPELINE = join(ROOT, 'scripts', 'pipeline.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** The old system's figures for the dump of 2026-02-05 (its report, sections 3). */
const REPORT: { layer: string; table: string; rows: number; perContract: boolean }[] = [
  { layer: 'silver', table: 'int_contracts', rows: 59_118, perContract: true },
  { layer: 'gold', table: 'new_contracts', rows: 16_508, perContract: true },
  { layer: 'gold', table: 'moveouts', rows: 15_262, perContract: true },
  { layer: 'gold', table: 'moveout_notices', rows: 3_635, perContract: true },
  { layer: 'gold', table: 'daily_activity_summary', rows: 5_624, perContract: false },
];
const TOLERANCE = 0.1;

interface Options {
  scale: number;
  date: string;
  seed: number;
  databaseUrl: string;
}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: '1' },
      date: { type: 'string', default: '20260205' },
      seed: { type: 'string', default: '1' },
    },
  });
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale '${values.scale}' is not valid. To fix this, give a number above 0, e.g. --scale 0.1`);
  if (!/^\d{8}$/.test(values.date))
    throw new Error(`--date '${values.date}' is not valid. To fix this, give YYYYMMDD, e.g. --date 20260205`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed '${values.seed}' is not valid. To fix this, give an integer, e.g. --seed 1`);
  return Object.freeze({ scale, date: values.date, seed, databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL });
}

function run(args: string[]): Promise<{ code: number; seconds: number; output: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, seconds: (performance.now() - started) / 1000, output }));
  });
}

async function dropPrefix(db: Db, prefix: string): Promise<void> {
  const rows = await db.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
    `${prefix.replace(/_/g, '\\_')}%`,
  ]);
  for (const r of rows) await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(r.name)}`);
}

const fmt = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const o = readOptions(process.argv.slice(2), process.env);
  const dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
  const prefix = `calib_${randomBytes(3).toString('hex')}_`;
  const db = await openDb(parseDatabaseUrl(o.databaseUrl), { connections: 1 });
  try {
    const gen = await generateDump({ out: join(dir, `gghouse_${o.date}.sql`), scale: o.scale, date: o.date, seed: o.seed }, silentLogger);
    const movings = gen.tables.find((t) => t.table === 'movings')?.rows ?? 0;
    console.log(
      `generate-dump --scale ${o.scale} --date ${o.date} --seed ${o.seed}: ${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.tables.length} tables, ` +
        `${fmt(movings)} movings rows, ${gen.seconds.toFixed(1)} s`,
    );
    const daily = await run([PIPELINE, 'daily', '--dump', gen.file, '--schema-prefix', prefix, '--target-dir', join(dir, 'target')]);
    console.log(`pipeline daily --schema-prefix ${prefix}: exit ${daily.code}, ${daily.seconds.toFixed(1)} s`);
    if (daily.code !== 0) {
      console.log(daily.output.split('\n').slice(-30).join('\n'));
      throw new Error('pipeline daily failed (its output is above), so there is nothing to compare. To fix this, fix the run first.');
    }
    console.log(`\n| table | old report | expected at scale ${o.scale} | generated | ratio |\n|---|---:|---:|---:|---:|`);
    const off: string[] = [];
    for (const r of REPORT) {
      const rows = Number((await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(prefix + r.layer, r.table)}`))[0]!.n);
      const checked = r.perContract || o.scale === 1;
      const expected = r.rows * (r.perContract ? o.scale : 1);
      const ratio = rows / expected;
      // A count of a few dozen rows (small scales) varies from seed to seed by more than 10 %:
      // allow two standard deviations of a Poisson count there.
      const tolerance = Math.max(TOLERANCE, 2 / Math.sqrt(expected));
      if (checked && Math.abs(ratio - 1) > tolerance)
        off.push(`${r.table} ${ratio.toFixed(2)} (tolerance ±${(tolerance * 100).toFixed(0)} %)`);
      const shown = checked ? ratio.toFixed(2) : `(${ratio.toFixed(2)}: counts days, checked at scale 1)`;
      console.log(`| \`${r.table}\` | ${fmt(r.rows)} | ${fmt(Math.round(expected))} | ${fmt(rows)} | ${shown} |`);
    }
    const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()[0]!.toFixed(1)}`;
    console.log(`\n${new Date().toISOString().slice(0, 10)}, ${machine}`);
    if (off.length > 0) {
      console.log(`outside the tolerance: ${off.join(', ')}. To fix this, adjust the rates in scripts/generate-dump/shape.ts.`);
      process.exitCode = 1;
    } else console.log('every ratio is within the tolerance (0.9–1.1; ±2/√n for a count n below 400)');
  } finally {
    await dropPrefix(db, prefix);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
