/**
 * A deliberately plain second implementation of "load, seed, run, test" for the warehouse
 * project: the dump goes in through the `mariadb` command-line client, seeds through INSERTs,
 * models are rendered with nunjucks (ref/source/var/config only) and run in dependency order,
 * generic tests are the four dbt built-ins; snapshots are built as their first run (every row one
 * current version from the as-of date), which is all one day can hold. It shares no code with the pipeline's engine, so the
 * golden test can check the engine's results against it, and the warehouse SQL is proven on the
 * real server independently of the engine.
 */
import { spawn } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import nunjucks from 'nunjucks';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { parseDatabaseUrl, qualified, quoteIdent, quoteString, type Db } from '../../actions/platform/db.ts';

export interface PlainOptions {
  /** Project root (holds models/, seeds/, tests/data/). */
  root: string;
  /** Schema prefix; logical schemas staging, seeds, silver, gold get it. */
  prefix: string;
  vars: Record<string, unknown>;
}

export interface PlainTestResult {
  name: string;
  severity: 'error' | 'warn';
  failures: number;
  status: 'pass' | 'warn' | 'fail';
}

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, ext));
    else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}

/** Loads a dump file into `schema` (created) with the plain `mariadb` client. */
export async function loadWithClient(dumpFile: string, schema: string, databaseUrl: string): Promise<void> {
  const s = parseDatabaseUrl(databaseUrl);
  const args = ['-h', s.host, '-P', String(s.port), '-u', s.user, '--default-character-set=utf8mb4'];
  if (s.password) args.push(`-p${s.password}`);
  await runClient([...args, '-e', `CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)} CHARACTER SET utf8mb4`]);
  await runClient([...args, schema], dumpFile);
}

function runClient(args: string[], stdinFile?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mariadb', args, { stdio: [stdinFile ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    if (stdinFile) createReadStream(stdinFile).pipe(child.stdin!);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb exited ${code}: ${stderr}`))));
  });
}

export function plainSchemas(prefix: string) {
  return {
    staging: `${prefix}staging`,
    seeds: `${prefix}seeds`,
    silver: `${prefix}silver`,
    gold: `${prefix}gold`,
    snapshots: `${prefix}snapshots`,
  };
}

interface Node {
  name: string;
  schema: string;
  sql: string;
  materialized: 'view' | 'table';
  refs: string[];
}

function environment(opts: PlainOptions, seedNames: Set<string>, modelSchemas: Map<string, string>) {
  const sch = plainSchemas(opts.prefix);
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
  const state = { refs: [] as string[], config: {} as Record<string, unknown> };
  env.addGlobal('ref', (name: string) => {
    state.refs.push(name);
    if (seedNames.has(name)) return qualified(sch.seeds, name);
    const schema = modelSchemas.get(name);
    if (!schema) throw new Error(`ref('${name}'): no such model or seed`);
    return qualified(schema, name);
  });
  env.addGlobal('source', (_source: string, table: string) => qualified(sch.staging, table));
  env.addGlobal('var', (name: string, fallback?: unknown) => {
    const v = opts.vars[name] ?? fallback;
    if (v === undefined || v === null) throw new Error(`var('${name}') is not set`);
    return v;
  });
  env.addGlobal('config', (args: Record<string, unknown>) => {
    Object.assign(state.config, args);
    return '';
  });
  const render = (text: string) => {
    state.refs = [];
    state.config = {};
    const sql = env.renderString(text, {});
    return { sql, refs: [...state.refs], config: { ...state.config } };
  };
  return render;
}

/** Creates the seed tables (column_types from seeds/_seeds.yml) and fills them. */
export async function plainSeed(db: Db, opts: PlainOptions): Promise<string[]> {
  const sch = plainSchemas(opts.prefix);
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(sch.seeds)} CHARACTER SET utf8mb4`);
  const yml = parseYaml(readFileSync(join(opts.root, 'seeds', '_seeds.yml'), 'utf8')) as {
    seeds: { name: string; config?: { column_types?: Record<string, string> } }[];
  };
  const names: string[] = [];
  for (const file of filesUnder(join(opts.root, 'seeds'), '.csv')) {
    const name = basename(file, '.csv');
    const types = yml.seeds.find((s) => s.name === name)?.config?.column_types ?? {};
    const rows = parseCsv(readFileSync(file), { columns: true }) as Record<string, string>[];
    const columns = Object.keys(rows[0]!);
    const table = qualified(sch.seeds, name);
    await db.exec(`DROP TABLE IF EXISTS ${table}`);
    await db.exec(`CREATE TABLE ${table} (${columns.map((c) => `${quoteIdent(c)} ${types[c] ?? 'text'}`).join(', ')})`);
    const values = rows.map((r) => `(${columns.map((c) => quoteString(r[c]!)).join(', ')})`).join(',\n');
    await db.exec(`INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) VALUES ${values}`);
    names.push(name);
  }
  return names;
}

/** Renders and runs every model in dependency order; returns the model names in the order run. */
export async function plainRun(db: Db, opts: PlainOptions, seedNames: string[]): Promise<string[]> {
  const sch = plainSchemas(opts.prefix);
  const modelDir = join(opts.root, 'models');
  const files = filesUnder(modelDir, '.sql');
  const modelSchemas = new Map<string, string>();
  for (const f of files) {
    const layer = relative(modelDir, f).split('/')[0] as 'silver' | 'gold';
    modelSchemas.set(basename(f, '.sql'), sch[layer]);
  }
  // Snapshots (snapshots/*.sql blocks): the first run's table, built before the models that read it.
  const snapshots = filesUnder(join(opts.root, 'snapshots'), '.sql').flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g)].map((m) => ({
      name: m[1]!,
      body: m[2]!,
    })),
  );
  for (const snap of snapshots) modelSchemas.set(snap.name, sch.snapshots);
  const render = environment(opts, new Set(seedNames), modelSchemas);
  if (snapshots.length > 0) await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(sch.snapshots)} CHARACTER SET utf8mb4`);
  for (const snap of snapshots) {
    const rel = qualified(sch.snapshots, snap.name);
    const at = `CAST('${String(opts.vars.as_of_date)}' AS DATETIME)`;
    await db.exec(`DROP TABLE IF EXISTS ${rel}`);
    await db.exec(
      `CREATE TABLE ${rel} AS SELECT s.*, MD5(CAST(s.id AS CHAR)) AS dbt_scd_id, ${at} AS dbt_updated_at, ${at} AS dbt_valid_from, CAST(NULL AS DATETIME) AS dbt_valid_to FROM (\n${render(snap.body).sql}\n) AS s`,
    );
  }
  const nodes = new Map<string, Node>();
  for (const f of files) {
    const name = basename(f, '.sql');
    const layer = relative(modelDir, f).split('/')[0];
    const r = render(readFileSync(f, 'utf8'));
    const materialized = (r.config.materialized as 'view' | 'table') ?? (layer === 'silver' ? 'view' : 'table');
    nodes.set(name, { name, schema: modelSchemas.get(name)!, sql: r.sql, materialized, refs: r.refs });
  }
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name) || !nodes.has(name)) return;
    if (path.includes(name)) throw new Error(`cycle: ${[...path, name].join(' -> ')}`);
    for (const dep of nodes.get(name)!.refs) visit(dep, [...path, name]);
    order.push(name);
  };
  for (const name of [...nodes.keys()].sort()) visit(name, []);
  for (const schema of new Set(modelSchemas.values())) {
    await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)} CHARACTER SET utf8mb4`);
  }
  for (const name of order) {
    const n = nodes.get(name)!;
    const rel = qualified(n.schema, n.name);
    try {
      if (n.materialized === 'view') await db.exec(`CREATE OR REPLACE VIEW ${rel} AS\n${n.sql}`);
      else {
        await db.exec(`DROP TABLE IF EXISTS ${rel}`);
        await db.exec(`CREATE TABLE ${rel} AS\n${n.sql}`);
      }
    } catch (err) {
      throw new Error(`model ${name} failed: ${(err as Error).message}\n${n.sql}`);
    }
  }
  return order;
}

type TestSpec = string | Record<string, Record<string, unknown> | null>;
interface ColumnYaml {
  name: string;
  data_tests?: TestSpec[];
  tests?: TestSpec[];
}

function thresholdMet(cond: string, n: number): boolean {
  const m = /^(>=|<=|!=|<>|==|>|<|=)\s*(\d+)$/.exec(cond.trim());
  if (!m) throw new Error(`bad threshold ${cond}`);
  const v = Number(m[2]);
  return { '>=': n >= v, '<=': n <= v, '!=': n !== v, '<>': n !== v, '==': n === v, '=': n === v, '>': n > v, '<': n < v }[m[1]!]!;
}

function status(failures: number, config: Record<string, unknown>): PlainTestResult['status'] {
  const severity = (config.severity as string | undefined)?.toLowerCase() ?? 'error';
  if (severity === 'error' && thresholdMet(String(config.error_if ?? '!=0'), failures)) return 'fail';
  if (thresholdMet(String(config.warn_if ?? '!=0'), failures)) return 'warn';
  return 'pass';
}

/** Runs every YAML generic test and every singular test; returns one result per test. */
export async function plainTest(db: Db, opts: PlainOptions, seedNames: string[]): Promise<PlainTestResult[]> {
  const sch = plainSchemas(opts.prefix);
  const modelDir = join(opts.root, 'models');
  const modelSchemas = new Map<string, string>();
  for (const f of filesUnder(modelDir, '.sql')) modelSchemas.set(basename(f, '.sql'), sch[relative(modelDir, f).split('/')[0] as 'silver']);
  const render = environment(opts, new Set(seedNames), modelSchemas);
  const results: PlainTestResult[] = [];
  const run = async (name: string, sql: string, config: Record<string, unknown>) => {
    let rows: { n: string }[];
    try {
      rows = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM (\n${sql}\n) AS t`);
    } catch (err) {
      throw new Error(`test ${name} failed to run: ${(err as Error).message}\n${sql}`);
    }
    const failures = Number(rows[0]!.n);
    const severity = ((config.severity as string | undefined)?.toLowerCase() ?? 'error') as 'error' | 'warn';
    results.push({ name, severity, failures, status: status(failures, config) });
  };
  const generic = async (relation: string, label: string, column: string, spec: TestSpec) => {
    const [kind, args] = typeof spec === 'string' ? [spec, {}] : Object.entries(spec)[0]!;
    const a = (args ?? {}) as Record<string, unknown>;
    const config = (a.config ?? {}) as Record<string, unknown>;
    const from = config.where ? `(SELECT * FROM ${relation} WHERE ${config.where})` : relation;
    const c = quoteIdent(column);
    let sql: string;
    if (kind === 'unique') sql = `SELECT ${c} FROM ${from} AS s WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING COUNT(*) > 1`;
    else if (kind === 'not_null') sql = `SELECT * FROM ${from} AS s WHERE ${c} IS NULL`;
    else if (kind === 'accepted_values') {
      const quote = a.quote !== false;
      const list = (a.values as unknown[]).map((v) => (quote ? quoteString(String(v)) : String(v))).join(', ');
      sql = `SELECT ${c} FROM ${from} AS s WHERE ${c} IS NOT NULL AND ${c} NOT IN (${list}) GROUP BY ${c}`;
    } else if (kind === 'relationships') {
      const to = render(`{{ ${a.to} }}`).sql;
      const f = quoteIdent(String(a.field));
      sql = `SELECT child.${c} FROM ${from} AS child LEFT JOIN ${to} AS parent ON child.${c} = parent.${f} WHERE child.${c} IS NOT NULL AND parent.${f} IS NULL`;
    } else throw new Error(`unknown generic test ${kind}`);
    await run(`${kind} ${label}.${column}`, sql, config);
  };
  const ymls = [...filesUnder(modelDir, '.yml'), ...filesUnder(join(opts.root, 'seeds'), '.yml')];
  for (const file of ymls) {
    const doc = parseYaml(readFileSync(file, 'utf8')) as {
      models?: { name: string; columns?: ColumnYaml[] }[];
      seeds?: { name: string; columns?: ColumnYaml[] }[];
      sources?: { name: string; tables: { name: string; columns?: ColumnYaml[] }[] }[];
    };
    for (const m of doc.models ?? []) {
      const rel = qualified(modelSchemas.get(m.name)!, m.name);
      for (const col of m.columns ?? []) for (const t of col.data_tests ?? col.tests ?? []) await generic(rel, m.name, col.name, t);
    }
    for (const s of doc.seeds ?? []) {
      const rel = qualified(sch.seeds, s.name);
      for (const col of s.columns ?? []) for (const t of col.data_tests ?? col.tests ?? []) await generic(rel, s.name, col.name, t);
    }
    for (const src of doc.sources ?? []) {
      for (const tbl of src.tables) {
        const rel = qualified(sch.staging, tbl.name);
        for (const col of tbl.columns ?? [])
          for (const t of col.data_tests ?? col.tests ?? []) await generic(rel, `source_${tbl.name}`, col.name, t);
      }
    }
  }
  for (const file of filesUnder(join(opts.root, 'tests', 'data'), '.sql')) {
    const r = render(readFileSync(file, 'utf8'));
    await run(basename(file, '.sql'), r.sql, r.config);
  }
  return results;
}
