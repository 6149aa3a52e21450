/**
 * `npm run bench:seeds`: seeds six code tables shaped like this project's (3, 18, 10, 8, 18 and 8
 * rows, Japanese names) through the engine — first load, then unchanged (skipped) — against a
 * reference: the same CREATE TABLE + INSERT statements through the plain `mariadb` client.
 * The old system's dbt seed took 56 s for its six CSVs (reference/glue-etl-report-2026-02-05.md).
 * Usage: npm run bench:seeds -- [--rounds 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../actions/platform/config.ts';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, qualified, quoteIdent } from '../actions/platform/db.ts';
import { silentLogger } from '../actions/platform/log.ts';
import { readProject } from '../actions/transform/project/read-project.ts';
import { publishedResolver } from '../actions/transform/project/resolver.ts';
import { createSchemas } from '../actions/platform/schemas.ts';
import { runSeeds } from '../actions/seed/run-seeds.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const SEEDS: Record<string, number> = {
  code_gender: 3,
  code_tenant_status: 18,
  code_contract_type: 10,
  code_personal_identity: 8,
  code_affiliation_type: 18,
  code_moveout_reason: 8,
};

const dir = mkdtempSync(join(tmpdir(), 'bench-seeds-'));
mkdirSync(join(dir, 'seeds'));
writeFileSync(join(dir, 'pipeline.yml'), 'name: bench\nseeds:\n  bench:\n    +schema: seeds\n');
for (const [name, n] of Object.entries(SEEDS)) {
  const rows = Array.from(
    { length: n },
    (_, i) => `${i + 1},区分${i + 1}（日本語）,"Kind ${i + 1}, en",${i % 3 === 0 ? 'individual' : 'corporate'}`,
  );
  writeFileSync(join(dir, 'seeds', `${name}.csv`), ['code,name_ja,name_en,tenant_type', ...rows].join('\r\n') + '\r\n');
}
const prefix = `benchs_${process.pid}_`;
const settings = parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const db = await openDb(settings, { connections: 5 });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const config = readConfig(dir);
  const schemas = createSchemas(config, prefix);
  const resolver = publishedResolver(schemas);
  const seedAll = async (fullRefresh: boolean) => {
    const project = readProject(dir, config);
    const ids = [...project.nodes.keys()].filter((id) => id.startsWith('seed.'));
    const t = performance.now();
    const r = await runSeeds(project, db, { select: ids, resolver, metaSchema: schemas.meta, fullRefresh, threads: 4, log: silentLogger });
    if (r.some((x) => x.status !== 'success')) throw new Error(r.find((x) => x.status !== 'success')!.message!);
    return performance.now() - t;
  };
  await seedAll(true); // creates the schemas and the meta tables
  const loads: number[] = [];
  const skips: number[] = [];
  for (let i = 0; i < rounds; i++) loads.push(await seedAll(true));
  for (let i = 0; i < rounds; i++) skips.push(await seedAll(false));

  // Reference: the statements a plain client would send, one connection.
  const schema = `${prefix}ref_seeds`;
  const lines = [`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)};`];
  for (const [name, n] of Object.entries(SEEDS)) {
    const t = qualified(schema, name);
    lines.push(
      `DROP TABLE IF EXISTS ${t};`,
      `CREATE TABLE ${t} (code BIGINT, name_ja VARCHAR(255), name_en VARCHAR(255), tenant_type VARCHAR(255));`,
    );
    const vals = Array.from(
      { length: n },
      (_, i) => `(${i + 1}, '区分${i + 1}（日本語）', 'Kind ${i + 1}, en', '${i % 3 === 0 ? 'individual' : 'corporate'}')`,
    );
    lines.push(`INSERT INTO ${t} VALUES ${vals.join(', ')};`);
  }
  const refs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    execFileSync('mariadb', ['-h', settings.host, '-P', String(settings.port), '-u', settings.user, '--default-character-set=utf8mb4'], {
      input: lines.join('\n'),
      env: { ...process.env, MYSQL_PWD: settings.password ?? '' },
    });
    refs.push(performance.now() - t);
  }
  const load = median(loads);
  const skip = median(skips);
  const ref = median(refs);
  console.log(`six code tables (${Object.values(SEEDS).reduce((a, b) => a + b)} rows), median of ${rounds}:`);
  console.log(`  engine, load + atomic swap:   ${load.toFixed(0)} ms`);
  console.log(`  engine, unchanged (skipped):  ${skip.toFixed(0)} ms`);
  console.log(`  reference, mariadb client:    ${ref.toFixed(0)} ms (process start included; no swap, no hash check)`);
  console.log(
    `  ratio engine/reference: ${(load / ref).toFixed(2)}; old system's dbt seed: 56 s (${(56000 / load).toFixed(0)}x slower than the engine)`,
  );
  console.log(`  machine load average: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
} finally {
  const rows = await db.query<{ s: string }>('SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
    `${prefix.replace(/_/g, '\\_')}%`,
  ]);
  for (const r of rows) await db.exec(`DROP DATABASE ${quoteIdent(r.s)}`);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
