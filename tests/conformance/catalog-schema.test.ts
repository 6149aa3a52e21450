/**
 * target/catalog.json is valid against dbt's own catalog v1 JSON Schema
 * (../shared/reference/dbt-schemas/catalog-v1.json), checked with ajv: the catalog `docs generate`
 * writes for this warehouse (seeds built, the rest not yet: so its `errors` too), and one of
 * every kind of relation (table, view, source) read from a real server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { readCatalog } from '../../actions/docs/catalog.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { FIXTURES, sharedFixture } from './fixtures.ts';

const SCHEMAS = sharedFixture(FIXTURES.dbtSchemas);
const skip = SCHEMAS === undefined ? `dbt's JSON Schemas not found (${FIXTURES.dbtSchemas})` : undefined;
const prefix = testPrefix('catschema');
const target = mkdtempSync(join(tmpdir(), 'catalog-schema-'));
let db: Db;
let validate: ValidateFunction;

before(async () => {
  db = await openTestDb(2);
  if (skip) return;
  // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS!, 'catalog-v1.json'), 'utf8')));
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(target, { recursive: true, force: true });
});

function assertValid(catalog: unknown): void {
  const ok = validate(catalog);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
}

test("the catalog `docs generate` writes for this warehouse is valid against dbt's catalog v1 schema", { skip }, async () => {
  const env = { PIPELINE_SCHEMA_PREFIX: prefix };
  const seeded = await runPipelineInProcess(['seed', '--target-dir', target], env);
  assert.equal(seeded.code, 0, seeded.stderr);
  const r = await runPipelineInProcess(['docs', 'generate', '--target-dir', target], env);
  assert.equal(r.code, 0, r.stderr);
  const catalog = JSON.parse(readFileSync(join(target, 'catalog.json'), 'utf8'));
  assertValid(catalog);
  assert.ok(
    Object.keys(catalog.nodes).some((id) => id.startsWith('seed.')),
    'the seeds are in it',
  );
  assert.ok(
    catalog.errors.some((e: string) => e.startsWith('model.tokyobeta.int_contracts:')),
    'models not built are named in errors',
  );
});

test('tables, views and sources read from the server are valid catalog entries', { skip }, async () => {
  const schema = `${prefix}kinds`;
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.exec(`CREATE TABLE ${quoteIdent(schema)}.t (id INT PRIMARY KEY, d DATE COMMENT 'a day') COMMENT 'table'`);
  await db.exec(`CREATE VIEW ${quoteIdent(schema)}.v AS SELECT id FROM ${quoteIdent(schema)}.t`);
  const catalog = await readCatalog(
    db,
    [
      { uniqueId: 'model.p.t', kind: 'node', schema, table: 't' },
      { uniqueId: 'model.p.v', kind: 'node', schema, table: 'v' },
      { uniqueId: 'source.p.s.t', kind: 'source', schema, table: 't' },
    ],
    { version: '0.1.0', exactRows: new Map([[`${schema}.t`, 0]]), invocationId: 'abc' },
  );
  assertValid(catalog);
  assert.equal(catalog.errors, null);
});
