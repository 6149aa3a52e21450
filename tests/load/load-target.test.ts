/**
 * `load --schema NAME` fills only a schema that is the loader's: system schemas, the pipeline's
 * layers and metadata (after the prefix), swap working schemas, and a schema holding tables the
 * loader did not put there (unless --replace-existing) are refused in one line, exit 2, before
 * anything is touched.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { makeDump, tablesOf } from './helpers.ts';

const prefix = testPrefix('loadtarget');
let db: Db;
let dir: string;
let dump: string;

before(async () => {
  db = await openTestDb(2);
  dir = mkdtempSync(join(tmpdir(), 'load-target-'));
  dump = join(dir, 'gghouse_20260205.sql');
  writeFileSync(dump, makeDump({ tables: ['tenants'], rows: 10 }));
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const load = (...args: string[]) => runPipelineInProcess(['load', '--dump', dump, '--schema-prefix', prefix, ...args], {}, ROOT);

test('system schemas, the layers, the metadata schemas and swap schemas are refused: one line, exit 2, nothing touched', async () => {
  for (const [name, why] of [
    ['gold', /pipeline's layer schema/],
    ['seeds', /pipeline's layer schema/],
    ['pipeline_meta', /pipeline's metadata schema/],
    ['pipeline_audit', /pipeline's audit schema/],
    ['tokyobeta', /pipeline's default model schema/],
    ['staging__shadow', /working schema of a swap/],
    ['gold; drop', /not a plain schema name/],
  ] as const) {
    const r = await load('--schema', name);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const sys = await runPipelineInProcess(['load', '--dump', dump, '--schema', 'mysql']);
  assert.equal(sys.code, 2, sys.stderr);
  assert.match(sys.stderr, /system schema/);
  assert.deepEqual(await schemasWithPrefix(db, prefix), []);
});

test("a schema holding tables the loader did not put there is refused unless --replace-existing; the loader's own reloads", async () => {
  const vendor = `${prefix}vendor`;
  await db.exec(`CREATE DATABASE ${quoteIdent(vendor)}`);
  await db.exec(`CREATE TABLE ${quoteIdent(vendor)}.precious (id INT PRIMARY KEY)`);
  const refused = await load('--schema', 'vendor');
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /holds tables this loader did not put there \(precious\).*--replace-existing/);
  assert.deepEqual(await tablesOf(db, vendor), ['precious']);
  const replaced = await load('--schema', 'vendor', '--replace-existing');
  assert.equal(replaced.code, 0, replaced.stderr);
  assert.deepEqual(await tablesOf(db, vendor), ['tenants']);
  const again = await load('--schema', 'vendor');
  assert.equal(again.code, 0, again.stderr);
});
