/**
 * Benchmark of the whole daily job against the plain `mariadb` client's load alone, in one run.
 *
 *   npm run bench:daily -- [--scale 0.3,1] [--keep]
 *
 * For each scale: generate a dump (`pipeline generate-dump`, not timed), load it with the plain
 * client into a scratch schema (the reference), then run `pipeline daily` on the same file
 * (load, seed, build, test, publish, report) under its own schema prefix. Prints both times,
 * their ratio, the stage times from run_results.json, and the row counts of every layer next to
 * the old Glue system's figures (its report of 2026-02-05, scale 1). Everything it creates is
 * dropped at the end unless --keep.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRunResults } from '../actions/platform/run-results.ts';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent, type Db } from '../actions/platform/db.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PIPELINE = join(ROOT, 'scripts', 'pipeline.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const DATE = '20260205';

/** The old system's figures at scale 1 (reference/glue-etl-report-2026-02-05.md). */
const OLD_SYSTEM: Record<string, number> = {
  'silver.int_contracts': 59_118,
  'gold.new_contracts': 16_508,
  'gold.moveouts': 15_262,
  'gold.moveout_notices': 3_635,
  'gold.daily_activity_summary': 5_624,
};
const LAYERS: [string, string[]][] = [
  ['staging', ['apartments', 'rooms', 'tenants', 'movings', 'inquiries']],
  [
    'seeds',
    ['code_gender', 'code_tenant_status', 'code_contract_type', 'code_personal_identity', 'code_affiliation_type', 'code_moveout_reason'],
  ],
  ['silver', ['stg_apartments', 'stg_rooms', 'stg_tenants', 'stg_movings', 'stg_inquiries', 'int_contracts']],
  ['gold', ['daily_activity_summary', 'new_contracts', 'moveouts', 'moveout_notices']],
];

interface Options {
  scales: number[];
  keep: boolean;
  databaseUrl: string;
}

function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const scaleArg = argv[argv.indexOf('--scale') + 1];
  const scales = argv.includes('--scale') && scaleArg ? scaleArg.split(',').map(Number) : [0.3, 1];
  if (scales.some((s) => !(s > 0))) throw new Error(`--scale takes numbers above 0, e.g. --scale 0.3,1 (got ${scaleArg})`);
  return Object.freeze({ scales, keep: argv.includes('--keep'), databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL });
}

function run(cmd: string, args: string[]): Promise<{ code: number; seconds: number; output: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, seconds: Number(process.hrtime.bigint() - started) / 1e9, output }));
  });
}

async function clientLoad(file: string, schema: string, url: string): Promise<number> {
  const s = parseDatabaseUrl(url);
  const args = ['-h', s.host, '-P', String(s.port), '-u', s.user, '--default-character-set=utf8mb4'];
  if (s.password) args.push(`-p${s.password}`);
  const create = await run('mariadb', [...args, '-e', `CREATE DATABASE ${quoteIdent(schema)} CHARACTER SET utf8mb4`]);
  if (create.code !== 0) throw new Error(`mariadb: ${create.output}`);
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('mariadb', [...args, schema], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    createReadStream(file).pipe(child.stdin!);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb load failed: ${err}`))));
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function counts(db: Db, prefix: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [layer, tables] of LAYERS) {
    for (const t of tables) {
      const rows = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(prefix + layer, t)}`).catch(() => [{ n: 'NaN' }]);
      out.set(`${layer}.${t}`, Number(rows[0]!.n));
    }
  }
  return out;
}

async function dropPrefix(db: Db, prefix: string): Promise<void> {
  const rows = await db.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
    `${prefix.replace(/_/g, '\\_')}%`,
  ]);
  for (const r of rows) await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(r.name)}`);
}

function fmt(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : '-';
}

async function benchScale(db: Db, o: Options, scale: number, dir: string): Promise<void> {
  const file = join(dir, `gghouse_${DATE}.sql`);
  const tag = `bench_daily_${String(scale).replace('.', '')}_${process.pid}_`;
  console.log(`\n## scale ${scale}`);
  if (!existsSync(file)) {
    // Generated gzipped and unpacked (neither timed): both contenders then read the same plain file.
    const gen = await run(TSX, [PIPELINE, 'generate-dump', '--out', `${file}.gz`, '--scale', String(scale), '--date', DATE]);
    if (gen.code !== 0) throw new Error(`generate-dump failed:\n${gen.output}`);
    const gunzip = await run('gunzip', ['-f', `${file}.gz`]);
    if (gunzip.code !== 0) throw new Error(`gunzip failed:\n${gunzip.output}`);
    console.log(`generated ${file}: ${(statSync(file).size / 1e6).toFixed(0)} MB in ${gen.seconds.toFixed(1)} s`);
  }
  try {
    const reference = await clientLoad(file, `${tag}client`, o.databaseUrl);
    console.log(`plain mariadb client, load alone: ${reference.toFixed(1)} s`);
    const targetDir = join(dir, `target-${scale}`);
    const daily = await run(TSX, [PIPELINE, 'daily', '--dump', file, '--schema-prefix', tag, '--target-dir', targetDir]);
    console.log(`pipeline daily (load, seed, build, test, publish, report): ${daily.seconds.toFixed(1)} s, exit ${daily.code}`);
    console.log(`ratio daily / client load: ${(daily.seconds / reference).toFixed(2)}`);
    if (daily.code !== 0) console.log(daily.output.split('\n').slice(-30).join('\n'));
    const r = readRunResults(targetDir);
    if (r) {
      console.log(`  run_results elapsed_time: ${r.elapsed_time.toFixed(1)} s`);
      for (const st of r.stages) console.log(`  stage ${st.name}: ${st.durationSeconds.toFixed(2)} s (${st.status})`);
      const by = new Map<string, { n: number; seconds: number; statuses: Map<string, number> }>();
      for (const x of r.results) {
        const kind = x.unique_id.split('.')[0]!;
        const k = by.get(kind) ?? { n: 0, seconds: 0, statuses: new Map() };
        k.n++;
        k.seconds += x.execution_time;
        k.statuses.set(x.status, (k.statuses.get(x.status) ?? 0) + 1);
        by.set(kind, k);
      }
      for (const [kind, k] of by) {
        const st = [...k.statuses].map(([s2, n]) => `${s2} ${n}`).join(', ');
        console.log(`  ${kind}: ${k.n} (${st}), ${k.seconds.toFixed(2)} s summed over threads`);
      }
    }
    const c = await counts(db, tag);
    console.log(`\n| relation | rows at scale ${scale} | old system (scale 1) |\n|---|---:|---:|`);
    for (const [name, n] of c) console.log(`| ${name} | ${fmt(n)} | ${OLD_SYSTEM[name] ? fmt(OLD_SYSTEM[name]!) : ''} |`);
  } finally {
    if (!o.keep) await dropPrefix(db, tag);
  }
}

async function main(): Promise<void> {
  const o = readOptions(process.argv.slice(2), process.env);
  const dir = join(tmpdir(), 'bench-daily');
  mkdirSync(dir, { recursive: true });
  const db = await openDb(parseDatabaseUrl(o.databaseUrl), { connections: 2 });
  try {
    for (const scale of o.scales) {
      const sub = join(dir, `scale-${scale}`);
      mkdirSync(sub, { recursive: true });
      await benchScale(db, o, scale, sub);
      if (!o.keep) rmSync(sub, { recursive: true, force: true });
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
