import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { readConfig } from '../../actions/platform/config.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { createClassifier, customSchemas } from '../../actions/cleanup/classify.ts';
import { readInventory, type SchemaInventory } from '../../actions/cleanup/inventory.ts';
import { renderInventoryMarkdown } from '../../actions/cleanup/render-inventory.ts';
import { tablespaceName } from '../../actions/cleanup/space.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { makeProject } from './project.ts';

const P = testPrefix('inventory');
let db: Db;
let project: string;

async function schemaWith(name: string, tables: Record<string, number>, views: string[] = []) {
  await db.exec(`CREATE DATABASE ${quoteIdent(P + name)}`);
  for (const [table, rows] of Object.entries(tables)) {
    await db.exec(`CREATE TABLE ${qualified(P + name, table)} (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB`);
    for (let i = 1; i <= rows; i++) await db.exec(`INSERT INTO ${qualified(P + name, table)} VALUES (?, ?)`, [i, `r${i}`]);
  }
  for (const v of views) await db.exec(`CREATE VIEW ${qualified(P + name, v)} AS SELECT 1 AS one`);
}

before(async () => {
  db = await openTestDb(4);
  project = makeProject();
  await schemaWith('staging', { tenants: 3, rooms: 2 });
  await schemaWith('gold', { moveouts: 4 });
  await schemaWith('gold__shadow', { moveouts: 0 });
  await schemaWith('seeds', { codes: 1 });
  await schemaWith('pipeline_meta', {});
  await schemaWith('basis', { a: 0, b: 0 });
  await schemaWith('_gold', { old_summary: 5 }, ['old_view']);
  await schemaWith('mystery', { x: 2 });
});

after(async () => {
  await dropSchemasWithPrefix(db, P);
  await db.close();
  rmSync(project, { recursive: true, force: true });
});

const mine = (items: SchemaInventory[]) => new Map(items.filter((s) => s.schema.startsWith(P)).map((s) => [s.schema.slice(P.length), s]));

test('custom schemas are found anywhere in a models or seeds config tree', () => {
  assert.deepEqual(customSchemas({ p: { a: { '+schema': 'silver', deeper: { schema: 'x' } }, b: { '+materialized': 'view' } } }), [
    'silver',
    'x',
  ]);
});

test("inventory classifies every schema, counts rows exactly, and lists the server's own as system", async () => {
  const r = await runPipelineInProcess(['inventory', '--format', 'json', '--schema-prefix', P, '--project-dir', project]);
  assert.equal(r.code, 0, r.stderr);
  const items = JSON.parse(r.stdout).schemas as SchemaInventory[];
  const s = mine(items);
  const cls = Object.fromEntries([...s].map(([k, v]) => [k, v.class]));
  assert.deepEqual(cls, {
    _gold: 'legacy',
    basis: 'legacy',
    gold: 'active',
    gold__shadow: 'active',
    mystery: 'unknown',
    pipeline_meta: 'active',
    seeds: 'active',
    staging: 'active',
  });
  assert.equal(s.get('_gold')!.reason, 'Left by the old dbt schema-naming bug');
  assert.deepEqual([s.get('staging')!.tables, s.get('staging')!.rows, s.get('staging')!.rowsExact], [2, 5, true]);
  assert.deepEqual([s.get('_gold')!.tables, s.get('_gold')!.views, s.get('_gold')!.rows], [1, 1, 5]);
  assert.equal(s.get('basis')!.rows, 0);
  assert.ok(s.get('staging')!.dataBytes > 0);
  for (const sys of ['mysql', 'information_schema', 'performance_schema']) {
    assert.equal(items.find((i) => i.schema === sys)?.class, 'system', sys);
  }
  // Without the prefix, the same schemas are not this run's: unknown, never active or legacy.
  const config = readConfig(project);
  const plain = mine(await readInventory(db, createClassifier(config, createSchemas(config, '')), { only: (n) => n.startsWith(P) }));
  assert.equal(plain.size, 8);
  assert.ok([...plain.values()].every((x) => x.class === 'unknown'));
});

test("large tables show information_schema's estimate, marked as such", async () => {
  const config = readConfig(project);
  const classifier = createClassifier(config, createSchemas(config, P));
  const items = await readInventory(db, classifier, { exactRowLimit: -1, only: (n) => n.startsWith(P) });
  const staging = items.find((i) => i.schema === `${P}staging`)!;
  assert.equal(staging.rowsExact, false);
  const text = renderInventoryMarkdown(items, 0);
  assert.match(text, new RegExp(`\\| ${P}staging \\| active \\| 2 \\| 0 \\| ~\\d+ \\(est\\.\\) \\|`));
  assert.match(text, /marked ~ \(est\.\)/);
});

test('the markdown table lists legacy first with its reason', async () => {
  const r = await runPipelineInProcess(['inventory', '--schema-prefix', P, '--project-dir', project]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\| schema \| class \| tables \| views \| rows \| data \| index \| last update \| why \|$/m);
  assert.match(
    r.stdout,
    new RegExp(`^\\| ${P}_gold \\| legacy \\| 1 \\| 1 \\| 5 \\| .* \\| Left by the old dbt schema-naming bug \\|$`, 'm'),
  );
  assert.match(r.stdout, new RegExp(`^\\| ${P}mystery \\| unknown \\| 1 \\| 0 \\| 2 \\|`, 'm'));
});

test('tablespace names encode what the file system cannot hold, as InnoDB does', () => {
  assert.equal(tablespaceName('plain_name1'), 'plain_name1');
  assert.equal(tablespaceName('a-b'), 'a@002db');
  assert.equal(tablespaceName('東'), '@6771');
});
