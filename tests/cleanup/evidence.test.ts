import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { parse } from 'yaml';
import { qualified, quoteIdent, quoteString, type Db } from '../../actions/platform/db.ts';
import { readConfig } from '../../actions/platform/config.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { createClassifier } from '../../actions/cleanup/classify.ts';
import {
  readInvestigatedInventory,
  readTableIo,
  schemaPattern,
  namesSchema,
  type InvestigatedSchema,
} from '../../actions/cleanup/evidence.ts';
import { renderInventoryMarkdown } from '../../actions/cleanup/render-inventory.ts';
import { decide } from '../../actions/cleanup/verdict.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { makeProject } from './project.ts';

const P = testPrefix('evidence');
/** A user of this test file only, dropped at the end. */
const USER = `t_ev_${randomBytes(4).toString('hex')}`;
let db: Db;
let project: string;

async function schema(name: string, tables: Record<string, number> = {}): Promise<void> {
  await db.exec(`CREATE DATABASE ${quoteIdent(P + name)}`);
  for (const [table, rows] of Object.entries(tables)) {
    await db.exec(`CREATE TABLE ${qualified(P + name, table)} (id INT PRIMARY KEY, v VARCHAR(20))`);
    for (let i = 1; i <= rows; i++) await db.exec(`INSERT INTO ${qualified(P + name, table)} VALUES (?, ?)`, [i, `r${i}`]);
  }
}

const VENDOR = ['apartments', 'rooms', 'tenants', 'movings', 'inquiries', 'contracts'];

before(async () => {
  db = await openTestDb(4);
  project = makeProject();
  await schema('staging', Object.fromEntries(VENDOR.map((t) => [t, 1])));
  await schema('gold', { moveouts: 1 });
  // dbt --store-failures of an older project, under a custom schema and under dbt's default name.
  await schema('test_results', {
    not_null_stg_tenants_id: 2,
    unique_stg_tenants_id: 0,
    accepted_values_stg_movings_status__a__b: 1,
    relationships_int_contracts_tenant_id__id__ref_stg_tenants_: 0,
    dbt_utils_unique_combination_of_columns_x: 0,
    source_not_null_staging_rooms_id: 0,
  });
  await schema('tokyobeta_dbt_test__audit', { not_null_x_id: 0 });
  // Backups: by suffix (of a schema on the server) and by date (of one that is gone).
  await schema('gold_bak', { moveouts: 3 });
  await schema('analytics_20250101', { summary: 1 });
  await schema('ops_saved', { tenants_bak: 1, rooms_20240101: 1, notes: 0 });
  // Leftovers of interrupted runs: another prefix's build-beside schema, and one pipeline.yml no longer names.
  await schema('pr7_gold__shadow', { moveouts: 1 });
  await schema('reports__old', { r: 0 });
  // A copy of the vendor database: 5 of the 6 staging tables.
  await schema('vendor_mirror', { apartments: 1, rooms: 1, tenants: 1, movings: 1, inquiries: 1, notes: 0 });
  // One that a view of another schema reads.
  await schema('lookup', { codes: 2 });
  await schema('bi_views');
  await db.exec(`CREATE VIEW ${qualified(`${P}bi_views`, 'code_list')} AS SELECT id FROM ${qualified(`${P}lookup`, 'codes')}`);
  // One that a user has rights on.
  await schema('shared_data', { facts: 1 });
  await db.exec(`CREATE USER ${quoteString(USER)}@'127.0.0.1'`);
  await db.exec(`GRANT SELECT ON ${quoteIdent(`${P}shared_data`)}.* TO ${quoteString(USER)}@'127.0.0.1'`);
  // Empty ones: no tables at all, and tables without rows.
  await schema('scratch');
  await schema('blank', { a: 0, b: 0 });
  // Legacy (pipeline.yml), still evidenced.
  await schema('_gold', { old_summary: 1 });
  // Nothing says what it is.
  await schema('mystery', { x: 2 });
});

after(async () => {
  await db.exec(`DROP USER IF EXISTS ${quoteString(USER)}@'127.0.0.1'`);
  await dropSchemasWithPrefix(db, P);
  await db.close();
  rmSync(project, { recursive: true, force: true });
});

async function investigate(recentDays?: number): Promise<Map<string, InvestigatedSchema>> {
  const config = readConfig(project);
  const items = await readInvestigatedInventory(db, createClassifier(config, createSchemas(config, P)), {
    only: (n) => n.startsWith(P),
    recentDays,
  });
  return new Map(items.map((s) => [s.schema.slice(P.length), s]));
}

test('each kind of schema is told by its evidence, with a verdict and a ready legacy entry where nothing speaks against it', async () => {
  // Every schema here was written a moment ago: judge them as if that were long past.
  const s = await investigate(0);
  const kinds = (name: string) => s.get(name)!.evidence!.origins.map((o) => o.kind);
  const verdict = (name: string) => s.get(name)!.evidence!.verdict;
  assert.equal(s.get('staging')!.evidence, undefined, 'active schemas are not investigated');
  assert.equal(s.get('gold')!.evidence, undefined);

  assert.deepEqual(kinds('test_results'), ['store-failures']);
  const sf = s.get('test_results')!.evidence!.origins[0]!;
  assert.ok(sf.kind === 'store-failures');
  assert.deepEqual([sf.testTables, sf.tables], [6, 6]);
  assert.deepEqual(sf.byTest, { not_null: 2, unique: 1, accepted_values: 1, relationships: 1, dbt_utils: 1 });
  assert.match(
    verdict('test_results').line,
    /^dbt store_failures output of an older project; nothing refers to it; last written \d{4}-\d\d-\d\d; safe to list as legacy\.$/,
  );
  assert.deepEqual(verdict('test_results').legacy?.name, 'test_results');
  assert.deepEqual(kinds('tokyobeta_dbt_test__audit'), ['store-failures']);

  assert.deepEqual(kinds('gold_bak'), ['backup']);
  assert.deepEqual(s.get('gold_bak')!.evidence!.origins[0], { kind: 'backup', base: `${P}gold`, baseExists: true, suffix: '_bak' });
  const dated = s.get('analytics_20250101')!.evidence!.origins[0]!;
  assert.deepEqual(dated, { kind: 'backup', base: `${P}analytics`, baseExists: false, suffix: '_20250101', date: '2025-01-01' });
  assert.match(
    verdict('analytics_20250101').line,
    new RegExp(`^a backup of ${P}analytics from 2025-01-01; nothing refers to it; .*safe to list as legacy\\.$`),
  );

  assert.deepEqual(s.get('pr7_gold__shadow')!.evidence!.origins, [
    { kind: 'pipeline-leftover', suffix: '__shadow', base: `${P}pr7_gold`, logical: 'gold', prefix: `${P}pr7_` },
  ]);
  assert.match(verdict('pr7_gold__shadow').line, /^leftover of an interrupted pipeline run; .*safe to list as legacy\.$/);
  assert.deepEqual(kinds('reports__old'), ['pipeline-leftover']);

  assert.deepEqual(s.get('vendor_mirror')!.evidence!.origins, [{ kind: 'vendor-copy', matched: 5, stagingTables: 6, tables: 6 }]);
  assert.match(verdict('vendor_mirror').line, /^a copy of the vendor database \(5 of 6 staging tables\); .*safe to list as legacy\.$/);

  assert.deepEqual(s.get('lookup')!.evidence!.referencedBy, [{ schema: `${P}bi_views`, name: 'code_list', type: 'view' }]);
  assert.equal(verdict('lookup').safe, false);
  assert.match(verdict('lookup').line, new RegExp(`not safe to drop: named by view ${P}bi_views\\.code_list\\.$`));
  assert.equal(verdict('lookup').legacy, undefined);
  assert.match(verdict('bi_views').line, /it has no tables; it has 1 view; needs a person: nothing tells what made it\.$/);

  assert.deepEqual(s.get('shared_data')!.evidence!.grants, [{ grantee: `'${USER}'@'127.0.0.1'`, privileges: ['SELECT'], level: 'schema' }]);
  assert.match(
    verdict('shared_data').line,
    new RegExp(`not safe to drop: granted to user '${USER}'@'127\\.0\\.0\\.1' \\(SELECT on its schema\\)\\.$`),
  );

  assert.equal(
    verdict('scratch').line,
    'an empty schema of unknown origin; nothing refers to it; it has no tables; safe to list as legacy.',
  );
  assert.equal(s.get('blank')!.evidence!.empty, true);
  assert.match(
    verdict('blank').line,
    /^an empty schema of unknown origin; nothing refers to it; .*every table is empty; safe to list as legacy\.$/,
  );

  assert.match(verdict('_gold').line, /; listed in cleanup\.legacy: cleanup may drop it\.$/);
  assert.equal(verdict('_gold').legacy, undefined, 'already listed');

  assert.equal(verdict('mystery').safe, false);
  assert.match(
    verdict('mystery').line,
    /^origin unknown \(no name says what made it\); nothing refers to it; .*needs a person: nothing tells what made it\.$/,
  );

  for (const e of [...s.values()].filter((x) => x.evidence)) {
    assert.equal(e.evidence!.activity.performanceSchema, false, 'performance_schema is off on the test server');
  }

  // The Markdown shows the evidence and one YAML block with every ready entry.
  const md = renderInventoryMarkdown([...s.values()], 100_000);
  assert.match(
    md,
    new RegExp(
      `### \`${P}test_results\` \\(unknown\\)\\n\\n- \\*\\*What made it:\\*\\* dbt \`--store-failures\` output: 6 of 6 tables are named as dbt tests`,
    ),
  );
  assert.match(md, /performance_schema is off on this server/);
  const yaml = /```yaml\n([\s\S]*?)```/.exec(md)![1]!;
  assert.deepEqual(Object.keys(parse(yaml).cleanup.legacy).sort(), [
    'analytics_20250101',
    'blank',
    'gold_bak',
    'ops_saved',
    'pr7_gold__shadow',
    'reports__old',
    'scratch',
    'test_results',
    'tokyobeta_dbt_test__audit',
    'vendor_mirror',
  ]);
});

test('a schema written within the last 30 days is not called safe, and nothing is dropped', async () => {
  const before = (
    await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
      `${P.replace(/_/g, '\\_')}%`,
    ])
  )[0]!.n;
  const r = await runPipelineInProcess(['inventory', '--format', 'json', '--schema-prefix', P, '--project-dir', project]);
  assert.equal(r.code, 0, r.stderr);
  const items = JSON.parse(r.stdout).schemas as InvestigatedSchema[];
  const sf = items.find((i) => i.schema === `${P}test_results`)!;
  assert.equal(sf.evidence!.verdict.safe, false);
  assert.match(sf.evidence!.verdict.line, /not safe to drop: written \d{4}-\d\d-\d\d, within the last 30 days\.$/);
  const after = (
    await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [
      `${P.replace(/_/g, '\\_')}%`,
    ])
  )[0]!.n;
  assert.equal(after, before);
});

test('reads and writes since the server started speak for and against a schema when performance_schema has them', async () => {
  // The query itself runs on every server (MariaDB keeps the table, empty, when performance_schema is off).
  const io = await readTableIo(db);
  assert.ok(io instanceof Map);
  const base = {
    schema: 'test_results',
    class: 'unknown' as const,
    now: '2026-12-06 12:00:00',
    prefix: '',
    origins: [],
    referencedBy: [],
    grants: [],
    lastUpdate: '2025-11-02 10:00:00',
    empty: false,
    rowsExact: true,
    otherObjects: 0,
    tables: 3,
    views: 0,
  };
  const on = { performanceSchema: true, since: '2026-12-01 00:00:00' };
  const sf = [{ kind: 'store-failures' as const, testTables: 3, tables: 3, auditName: false, byTest: { unique: 3 } }];
  assert.equal(
    decide({ ...base, origins: sf, activity: { ...on, reads: 0, writes: 0 } }).line,
    'dbt store_failures output of an older project; nothing refers to it; last written 2025-11-02; neither read nor written since the server started; safe to list as legacy.',
  );
  assert.match(
    decide({ ...base, origins: sf, activity: { ...on, reads: 0, writes: 12 } }).line,
    /not safe to drop: 12 row writes since the server started\.$/,
  );
  assert.equal(
    decide({ ...base, origins: sf, activity: { performanceSchema: false, since: '2026-12-01 00:00:00' } }).legacy?.reason.includes('read'),
    false,
  );
  const views = Array.from({ length: 5 }, (_, i) => ({ schema: 'bi', name: `v${i}`, type: 'view' as const }));
  assert.match(
    decide({ ...base, origins: sf, referencedBy: views, activity: on }).line,
    /not safe to drop: named by view bi\.v0, view bi\.v1, view bi\.v2, 2 more\.$/,
  );
});

test('grant patterns and references are matched as the server means them', () => {
  assert.ok(schemaPattern('t\\_a\\_%')('t_a_x'));
  assert.ok(!schemaPattern('t\\_a\\_%')('tXaXx'));
  assert.ok(schemaPattern('t_a')('tXa'), 'an unescaped _ is a wildcard in a grant');
  assert.ok(schemaPattern('plain')('plain') && !schemaPattern('plain')('plainer'));
  assert.ok(namesSchema('select `lookup`.`codes`.`id` AS `id` from `lookup`.`codes`', 'lookup'));
  assert.ok(namesSchema('SELECT * FROM lookup.codes', 'lookup'));
  assert.ok(!namesSchema('SELECT * FROM mylookup.codes', 'lookup'));
  assert.ok(!namesSchema('SELECT lookup FROM t', 'lookup'));
});
