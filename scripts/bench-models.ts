/**
 * `npm run bench:models`: generates a 500-model dbt-style project in a temporary directory
 * (seeds, staging views, intermediate views using {% set %}/{% for %} and a macro, tables and
 * incremental marts), then measures
 *   1. parse + compile of the whole project (goal: under 2 s), per model;
 *   2. the same for dbt-utils' integration project, when ../shared has it;
 *   3. `run` of all models on the server (--threads), against a reference: the same compiled
 *      statements run one after the other by the plain `mariadb` client (no atomic swaps).
 * Usage: npm run bench:models -- [--models 500] [--threads 4] [--keep]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../actions/platform/config.ts';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, quoteIdent } from '../actions/platform/db.ts';
import { silentLogger } from '../actions/platform/log.ts';
import { compileNode } from '../actions/transform/project/compile.ts';
import { readProject } from '../actions/transform/project/read-project.ts';
import { makeRelation } from '../actions/transform/project/resolver.ts';
import { installPackages } from '../actions/transform/packages/install-packages.ts';
import { networkSources } from '../actions/transform/packages/network-sources.ts';
import { FIXTURES, SHARED_DIR, sharedFixture } from '../tests/conformance/fixtures.ts';
import { topoOrder } from '../actions/transform/project/graph.ts';
import { publishedResolver } from '../actions/transform/project/resolver.ts';
import type { ModelNode } from '../actions/transform/project/types.ts';
import { createSchemas } from '../actions/platform/schemas.ts';
import { runModels } from '../actions/transform/run-models.ts';
import { runSeeds } from '../actions/seed/run-seeds.ts';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '500' },
    threads: { type: 'string', default: '4' },
    keep: { type: 'boolean' },
    'parse-once': { type: 'string' },
  },
});

// Child mode: read the project in DIR once in this fresh process and print the milliseconds.
if (values['parse-once']) {
  const dir = values['parse-once'];
  const t = performance.now();
  const cpu = process.cpuUsage();
  readProject(dir, readConfig(dir), { templateCacheFile: join(dir, 'target', 'template-cache.json') });
  const used = process.cpuUsage(cpu);
  console.log(`${performance.now() - t} ${(used.user + used.system) / 1000}`);
  process.exit(0);
}

/** Wall and CPU milliseconds of one project read in a fresh process (CPU time is what a busy machine distorts least). */
function parseInFreshProcess(dir: string): { wall: number; cpu: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--parse-once', dir], {
    encoding: 'utf8',
  });
  const [wall, cpu] = out.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall!, cpu: cpu! };
}
const total = Number(values.models);
const threads = Number(values.threads);

function generate(dir: string, n: number): void {
  const w = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  w(
    'pipeline.yml',
    `name: bench\nschema: bench\nvars:\n  kinds: [a, b, c, d]\nmodels:\n  bench:\n    staging:\n      +materialized: view\n      +schema: b_staging\n    int:\n      +materialized: view\n      +schema: b_int\n    marts:\n      +materialized: table\n      +schema: b_marts\n      +tags: [marts]\nseeds:\n  bench:\n    +schema: b_seeds\n`,
  );
  w('macros/util.sql', '{% macro share(part, whole) -%}\n  round(100.0 * {{ part }} / nullif({{ whole }}, 0), 2)\n{%- endmacro %}\n');
  const seeds = 10;
  for (let s = 0; s < seeds; s++) {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `${i},${'abcd'[i % 4]},${(i * 1.5).toFixed(2)},2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
    );
    w(`seeds/raw_${s}.csv`, ['id,kind,amount,day', ...rows].join('\n') + '\n');
  }
  const nStg = Math.round(n * 0.2);
  const nInt = Math.round(n * 0.4);
  const nMart = n - nStg - nInt;
  const yml: string[] = ['version: 2', 'models:'];
  for (let i = 0; i < nStg; i++) {
    w(
      `models/staging/stg_${i}.sql`,
      `select id, kind, amount, day\nfrom {{ ref('raw_${i % seeds}') }}\nwhere amount >= {{ var('min_amount', 0) }}\n`,
    );
    yml.push(`  - name: stg_${i}`, '    columns:', '      - name: id', '        tests: [unique, not_null]');
  }
  for (let i = 0; i < nInt; i++) {
    const a = i % nStg;
    const b = (i * 7 + 3) % nStg;
    w(
      `models/int/int_${i}.sql`,
      [
        "{%- set kinds = var('kinds') -%}",
        'select x.day,',
        '{%- for k in kinds %}',
        "  sum(case when x.kind = '{{ k }}' then x.amount else 0 end) as amount_{{ k }},",
        '{%- endfor %}',
        '  {{ share("sum(x.amount)", "sum(x.amount) + 1") }} as share_total,',
        '  count(*) as n',
        `from {{ ref('stg_${a}') }} x join {{ ref('stg_${b}') }} y on y.id = x.id`,
        'group by x.day',
        '',
      ].join('\n'),
    );
  }
  for (let i = 0; i < nMart; i++) {
    const a = i % nInt;
    const b = (i * 11 + 5) % nInt;
    const incremental = i % 10 === 0;
    w(
      `models/marts/mart_${i}.sql`,
      [
        incremental ? "{{ config(materialized='incremental', unique_key='day') }}" : '',
        `select a.day, a.amount_a + b.amount_b as ab, a.n + b.n as n`,
        `from {{ ref('int_${a}') }} a join {{ ref('int_${b}') }} b on b.day = a.day`,
        incremental ? '{% if is_incremental() %}where a.day >= (select max(day) from {{ this }}){% endif %}' : '',
        '',
      ].join('\n'),
    );
  }
  w('models/staging/schema.yml', yml.join('\n') + '\n');
}

/**
 * dbt-utils' integration project (../shared, when present): `deps` (its local package), then
 * parse in a fresh process without a template cache and compile every model (no database:
 * `execute` is false, as in a parse).
 */
async function benchDbtUtils(): Promise<void> {
  const source = sharedFixture(FIXTURES.dbtUtils);
  if (!source) return console.log(`dbt-utils integration project: not measured (no ${FIXTURES.dbtUtils} in ${SHARED_DIR})`);
  const copy = mkdtempSync(join(tmpdir(), 'bench-dbt-utils-'));
  try {
    cpSync(source, join(copy, 'dbt-utils'), { recursive: true });
    const project = join(copy, 'dbt-utils', 'integration_tests');
    await installPackages(project, { sources: networkSources(), log: () => {} });
    const cold = parseInFreshProcess(project);
    const p = readProject(project, readConfig(project));
    const resolver = { resolve: (n: { name: string }) => makeRelation('bench', n.name) };
    const ids = [...p.nodes.values()].filter((n) => n.resource_type === 'model').map((n) => n.unique_id);
    const t = performance.now();
    for (const id of ids) compileNode(p, id, resolver);
    const tCompile = performance.now() - t;
    console.log(
      `dbt-utils integration project (${ids.length} models, ${p.nodes.size} nodes, ${p.macros.size} macros): parse cold wall ${cold.wall.toFixed(0)} ms (CPU ${cold.cpu.toFixed(0)} ms) + compile ${tCompile.toFixed(0)} ms`,
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-models-'));
generate(dir, total);
const prefix = `bench_${process.pid}_`;
const settings = parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const db = await openDb(settings, { connections: threads + 1 });
try {
  const config = readConfig(dir);
  const schemas = createSchemas(config, prefix);
  const resolver = publishedResolver(schemas);
  // Each read in a fresh process (as a CLI command is): cold has no target/template-cache.json,
  // cached has the one the cold read wrote (every later command of a project has it).
  const tCold = parseInFreshProcess(dir);
  const tCachedFresh = parseInFreshProcess(dir);
  const t0 = performance.now();
  const project = readProject(dir, config, { templateCacheFile: join(dir, 'target', 'template-cache.json') });
  const tParse = performance.now() - t0;
  const models = [...project.nodes.values()].filter((n): n is ModelNode => n.resource_type === 'model');
  const compiled = new Map<string, string>();
  const t1 = performance.now();
  for (const m of models) compiled.set(m.unique_id, compileNode(project, m.unique_id, resolver));
  const tCompile = performance.now() - t1;
  console.log(`project: ${models.length} models, ${project.nodes.size - models.length} seeds and tests, in ${dir}`);
  const per = (ms: number) => `${ms.toFixed(0)} ms (${(ms / models.length).toFixed(2)} ms per model)`;
  console.log(`parse (cold):    wall ${per(tCold.wall)}, CPU ${per(tCold.cpu)}: fresh process, no template cache`);
  console.log(
    `parse (cached):  wall ${per(tCachedFresh.wall)}, CPU ${per(tCachedFresh.cpu)}: fresh process, with target/template-cache.json`,
  );
  console.log(`parse (in-process, warm): wall ${per(tParse)}`);
  console.log(`compile:         wall ${per(tCompile)}`);
  const verdict = (ms: number) => `${(ms / 2000).toFixed(2)}x of the 2 s budget: ${ms < 2000 ? 'met' : 'NOT met'}`;
  console.log(
    `parse + compile, cold:   wall ${per(tCold.wall + tCompile)} — ${verdict(tCold.wall + tCompile)} (CPU ${(tCold.cpu + tCompile).toFixed(0)} ms)`,
  );
  console.log(
    `parse + compile, cached: wall ${per(tCachedFresh.wall + tCompile)} — ${verdict(tCachedFresh.wall + tCompile)} (CPU ${(tCachedFresh.cpu + tCompile).toFixed(0)} ms)`,
  );
  console.log(`machine load average: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores (wall times stretch with it)`);
  await benchDbtUtils();

  const seedIds = [...project.nodes.keys()].filter((id) => id.startsWith('seed.'));
  await runSeeds(project, db, { select: seedIds, resolver, metaSchema: schemas.meta, log: silentLogger, threads });
  const t2 = performance.now();
  const results = await runModels(project, db, { select: models.map((m) => m.unique_id), resolver, threads, log: silentLogger });
  const tRun = performance.now() - t2;
  const failed = results.filter((r) => r.status !== 'success');
  console.log(
    `run:             ${(tRun / 1000).toFixed(2)} s for ${results.length} models on ${threads} threads (${(tRun / results.length).toFixed(1)} ms per model)${failed.length ? `, ${failed.length} not successful: ${failed[0]!.message}` : ''}`,
  );

  // Reference: the same statements through the plain mariadb client, serially, no swaps.
  const refPrefix = `${prefix}ref_`;
  const refSchemas = createSchemas(config, refPrefix);
  const refResolver = publishedResolver(refSchemas);
  await runSeeds(project, db, { select: seedIds, resolver: refResolver, metaSchema: refSchemas.meta, log: silentLogger });
  const order = topoOrder(
    models.map((m) => m.unique_id),
    project.parent_map,
  );
  const schemaNames = new Set(models.map((m) => refResolver.resolve(m).schema));
  const lines = [...schemaNames].map((s) => `CREATE DATABASE IF NOT EXISTS ${quoteIdent(s)};`);
  for (const id of order) {
    const m = project.nodes.get(id) as ModelNode;
    const rel = refResolver.resolve(m);
    const sql = compileNode(project, id, refResolver);
    lines.push(
      m.config.materialized === 'view'
        ? `CREATE OR REPLACE VIEW ${rel} AS ${sql};`
        : `DROP TABLE IF EXISTS ${rel};\nCREATE TABLE ${rel} AS ${sql};`,
    );
  }
  const sqlFile = join(dir, 'reference.sql');
  writeFileSync(sqlFile, lines.join('\n') + '\n');
  const args = ['-h', settings.host, '-P', String(settings.port), '-u', settings.user];
  const t3 = performance.now();
  execFileSync('mariadb', args, { input: lines.join('\n') + '\n', env: { ...process.env, MYSQL_PWD: settings.password ?? '' } });
  const tRef = performance.now() - t3;
  console.log(
    `reference:       ${(tRef / 1000).toFixed(2)} s (the same SQL through the plain mariadb client, one connection, no atomic swaps)`,
  );
  console.log(`ratio run/reference: ${(tRun / tRef).toFixed(2)}`);
} finally {
  const rows = await db.query<{ s: string }>('SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
    `${prefix.replace(/_/g, '\\_')}%`,
  ]);
  for (const r of rows) await db.exec(`DROP DATABASE ${quoteIdent(r.s)}`);
  await db.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
