/** catalog.json from a real server's information_schema. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { readCatalog, type RelationRef } from '../../actions/docs/catalog.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';

const prefix = testPrefix('doccat');
const schema = `${prefix}gold`;
let db: Db;

const RELATIONS: RelationRef[] = [
  { uniqueId: 'model.p.facts', kind: 'node', schema, table: 'facts' },
  { uniqueId: 'model.p.facts_view', kind: 'node', schema, table: 'facts_view' },
  { uniqueId: 'source.p.raw.facts', kind: 'source', schema, table: 'facts' },
  { uniqueId: 'model.p.never_built', kind: 'node', schema, table: 'never_built' },
];

before(async () => {
  db = await openTestDb(2);
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.exec(
    `CREATE TABLE ${quoteIdent(schema)}.facts (id INT NOT NULL PRIMARY KEY, name VARCHAR(40) COMMENT 'the name', amount DECIMAL(12,2)) COMMENT 'fact table'`,
  );
  await db.exec(`INSERT INTO ${quoteIdent(schema)}.facts VALUES (1, 'a', 1.5), (2, 'b', 2.5), (3, 'c', NULL)`);
  await db.exec(`CREATE VIEW ${quoteIdent(schema)}.facts_view AS SELECT id, name FROM ${quoteIdent(schema)}.facts`);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('every relation gets its columns in table order with their types, comments, rows and size', async () => {
  const c = await readCatalog(db, RELATIONS, { version: '0.1.0', now: new Date('2026-12-06T00:00:00Z') });
  const facts = c.nodes['model.p.facts']!;
  assert.deepEqual(facts.metadata, { type: 'BASE TABLE', schema, name: 'facts', database: null, comment: 'fact table', owner: null });
  assert.deepEqual(
    Object.values(facts.columns).map((col) => [col.index, col.name, col.type, col.comment]),
    [
      [1, 'id', 'int(11)', null],
      [2, 'name', 'varchar(40)', 'the name'],
      [3, 'amount', 'decimal(12,2)', null],
    ],
  );
  assert.equal(facts.stats.has_stats!.value, true);
  assert.equal(typeof facts.stats.num_rows!.value, 'number');
  assert.match(facts.stats.num_rows!.description!, /Approximate/);
  assert.ok((facts.stats.num_bytes!.value as number) > 0);
  assert.equal(c.sources['source.p.raw.facts']!.unique_id, 'source.p.raw.facts');
  const view = c.nodes['model.p.facts_view']!;
  assert.equal(view.metadata.type, 'VIEW');
  assert.equal(view.metadata.comment, null, "a view's 'VIEW' comment is no comment");
  assert.deepEqual(Object.keys(view.stats), ['has_stats']);
  assert.equal(c.metadata.generated_at, '2026-12-06T00:00:00.000Z');
});

test('the last run’s exact count wins over the server’s estimate', async () => {
  const c = await readCatalog(db, RELATIONS, { version: '0.1.0', exactRows: new Map([[`${schema}.facts`, 3]]) });
  assert.equal(c.nodes['model.p.facts']!.stats.num_rows!.value, 3);
  assert.match(c.nodes['model.p.facts']!.stats.num_rows!.description!, /Exact/);
});

test('a relation that does not exist is left out and named in errors', async () => {
  const c = await readCatalog(db, RELATIONS, { version: '0.1.0' });
  assert.equal(c.nodes['model.p.never_built'], undefined);
  assert.deepEqual(c.errors, [`model.p.never_built: the relation ${schema}.never_built does not exist`]);
});
