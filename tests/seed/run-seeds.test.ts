import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../actions/platform/config.ts';
import type { Db } from '../../actions/platform/db.ts';
import { ConfigError } from '../../actions/platform/errors.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { publishedResolver } from '../../actions/transform/project/resolver.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { runSeeds } from '../../actions/seed/run-seeds.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { writeProject } from '../helpers/temp-project.ts';

const prefix = testPrefix('seed');
let db: Db;
before(async () => (db = await openTestDb()));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const CONFIG = 'name: demo\nschema: demo\nmeta-schema: meta\nseeds:\n  demo:\n    +schema: seeds\n';

async function seed(dir: string, o: { fullRefresh?: boolean } = {}) {
  const config = readConfig(dir);
  const project = readProject(dir, config);
  const schemas = createSchemas(config, prefix);
  const ids = [...project.nodes.keys()].filter((id) => id.startsWith('seed.'));
  return runSeeds(project, db, { select: ids, resolver: publishedResolver(schemas), metaSchema: schemas.meta, log: silentLogger, ...o });
}

test('seeds load with their types, CRLF/BOM/quotes handled, into the configured schema', async () => {
  const dir = writeProject({
    'pipeline.yml': CONFIG,
    'seeds/code_gender.csv': Buffer.from(
      '\ufeffcode,name_ja,name_en,is_default\r\n1,男性,"Male, M",true\r\n2,女性,"Female ""F""",false\r\n0,不明,,false\r\n',
    ),
    'seeds/props.yml': 'version: 2\nseeds:\n  - name: code_gender\n    config:\n      column_types:\n        code: TINYINT\n',
  });
  const results = await seed(dir);
  assert.deepEqual(
    results.map((r) => [r.status, r.adapter_response.rows_affected]),
    [['success', 3]],
  );
  const rows = await db.query(`SELECT code, name_ja, name_en, is_default FROM \`${prefix}seeds\`.code_gender ORDER BY code`);
  assert.deepEqual(rows, [
    { code: 0, name_ja: '不明', name_en: null, is_default: 0 },
    { code: 1, name_ja: '男性', name_en: 'Male, M', is_default: 1 },
    { code: 2, name_ja: '女性', name_en: 'Female "F"', is_default: 0 },
  ]);
  const [col] = await db.query<{ t: string }>(
    "SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'code_gender' AND COLUMN_NAME = 'code'",
    [`${prefix}seeds`],
  );
  assert.match(col!.t, /^tinyint/);
});

test('an unchanged seed is not reloaded; a changed one is swapped in; --full-refresh reloads', async () => {
  const dir = writeProject({ 'pipeline.yml': CONFIG, 'seeds/code_x.csv': 'code,label\n1,a\n2,b\n' });
  assert.equal((await seed(dir))[0]!.message, 'INSERT 2');
  assert.equal((await seed(dir))[0]!.message, 'unchanged (2 rows)');
  writeFileSync(join(dir, 'seeds/code_x.csv'), 'code,label\n1,a\n2,b\n3,c\n');
  assert.equal((await seed(dir))[0]!.message, 'INSERT 3');
  assert.equal((await seed(dir, { fullRefresh: true }))[0]!.message, 'INSERT 3');
  const rows = await db.query(`SELECT COUNT(*) AS n FROM \`${prefix}seeds\`.code_x`);
  assert.equal(Number(rows[0]!.n), 3);
  // A table dropped behind the pipeline's back is reloaded, whatever the hash says.
  await db.exec(`DROP TABLE \`${prefix}seeds\`.code_x`);
  assert.equal((await seed(dir))[0]!.message, 'INSERT 3');
});

test('a seed with a bad row is a project error before anything loads, and the published table stays', async () => {
  const dir = writeProject({ 'pipeline.yml': CONFIG, 'seeds/code_y.csv': 'code,label\n1,a\n' });
  await seed(dir);
  writeFileSync(join(dir, 'seeds/code_y.csv'), 'code,label\n1,a\n2,b,c\n');
  writeFileSync(join(dir, 'seeds/props.yml'), 'version: 2\nseeds:\n  - name: code_y\n    config:\n      column_types: {code: INT}\n');
  await assert.rejects(seed(dir), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems[0]!.location, { file: 'seeds/code_y.csv', line: 3 });
    return true;
  });
  const rows = await db.query(`SELECT code, label FROM \`${prefix}seeds\`.code_y`);
  assert.deepEqual(
    rows.map((r) => [String(r.code), r.label]),
    [['1', 'a']],
  );
  const cli = await runPipelineInProcess(['seed', '--project-dir', dir, '--schema-prefix', prefix]);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /seeds\/code_y\.csv:3: row has 3 fields but the header has 2/);
});

// How fast: `npm run bench:seeds` (timings do not belong in tests on a shared machine).
test('six code tables seed together, each complete', async () => {
  const files: Record<string, string> = { 'pipeline.yml': CONFIG };
  for (const name of ['gender', 'tenant_status', 'contract_type', 'personal_identity', 'affiliation_type', 'moveout_reason']) {
    const rows = Array.from({ length: 18 }, (_, i) => `${i},名前${i},name ${i},${i % 2 === 0}`);
    files[`seeds/code_${name}.csv`] = ['code,name_ja,name_en,flag', ...rows].join('\n');
  }
  const dir = writeProject(files);
  const results = await seed(dir);
  assert.deepEqual(
    results.map((r) => [r.status, r.adapter_response.rows_affected]),
    Array(6).fill(['success', 18]),
  );
  const [row] = await db.query(`SELECT COUNT(*) AS n FROM \`${prefix}seeds\`.code_moveout_reason WHERE flag = 1`);
  assert.equal(Number(row!.n), 9);
});
