/**
 * A failure after the publishing RENAME (here the step right after it throws) is not reported as
 * "nothing was published": the tables were swapped, the result says so with what failed, and the
 * next run removes what is left and succeeds.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runDaily } from '../../actions/daily/daily-run.ts';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { readConfig } from '../../actions/platform/config.ts';
import type { Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { createSchemas } from '../../actions/platform/schemas.ts';
import { readProject } from '../../actions/transform/project/read-project.ts';
import { ROOT } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { copyProject } from '../transform/wap-fixture.ts';

const prefix = testPrefix('afterswap');
const DUMP = join(ROOT, 'tests', 'fixtures', 'wap-dumps', 'gghouse_20260205.sql');
const dir = copyProject();
let db: Db;

before(async () => (db = await openTestDb(4)));
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

async function daily(afterSwap?: () => Promise<void>) {
  const config = readConfig(dir);
  const schemas = createSchemas(config, prefix);
  const project = readProject(dir, config, { targetSchema: schemas.defaultSchema });
  const log = createMemoryLogger();
  const r = await runDaily({
    project,
    db,
    schemas,
    log,
    source: await resolveDumpSource(DUMP),
    asOf: new Date('2026-02-05T00:00:00Z'),
    threads: 2,
    afterSwap,
  });
  return { r, schemas, log };
}

test('a failure right after the RENAME: published, with the reason; the next run cleans up', async () => {
  const { r, schemas } = await daily(async () => {
    throw new Error('the step after the swap broke');
  });
  assert.equal(r.publish.published, true, r.publish.reason);
  assert.match(r.publish.reason ?? '', /the tables were published .* but finishing the swap failed: the step after the swap broke/);
  const [{ n }] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [
    schemas.staging,
  ]);
  assert.ok(Number(n) > 0, 'staging was published');
  assert.ok(
    (await schemasWithPrefix(db, prefix)).some((s) => s.endsWith('__old') || s.endsWith('__shadow')),
    'leftovers',
  );
  const next = await daily();
  assert.equal(next.r.failed, false);
  assert.equal(next.r.publish.published, true);
  assert.deepEqual(
    (await schemasWithPrefix(db, prefix)).filter((s) => s.endsWith('__old') || s.endsWith('__shadow')),
    [],
    'the next run removed what was left',
  );
});
