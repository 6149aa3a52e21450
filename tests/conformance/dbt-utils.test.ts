/**
 * dbt-utils 1.4.1's own integration project (../shared/testdata/dbt-packages/dbt-utils/
 * integration_tests), run unmodified: `deps` installs the package from `../` (a local: package),
 * then `build` runs its seeds, models and tests. Every node passes except those listed in
 * dbt-utils-expected.ts, each with the reason MySQL/MariaDB cannot do it (the README's table).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runPipeline } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { EXPECTED_FAILURES } from './dbt-utils-expected.ts';
import { assertValid, SCHEMAS } from './dbt-schemas.ts';
import { FIXTURES, sharedFixture } from './fixtures.ts';

const PACKAGE = sharedFixture(FIXTURES.dbtUtils);
const prefix = testPrefix('dbtutils');
const dbPromise = openTestDb(2);
const work = mkdtempSync(join(tmpdir(), 'dbt-utils-'));

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(work, { recursive: true, force: true });
});

test('dbt-utils integration_tests: deps installs the package, build passes every node MySQL/MariaDB can run', {
  skip: PACKAGE ? false : `no ${FIXTURES.dbtUtils}`,
}, async () => {
  // The fixture is read-only reference material: work on a copy (deps writes dbt_packages/ and package-lock.yml).
  cpSync(PACKAGE!, join(work, 'dbt-utils'), { recursive: true });
  const project = join(work, 'dbt-utils', 'integration_tests');
  const deps = await runPipeline(['deps', '--project-dir', project]);
  assert.equal(deps.code, 0, deps.stderr);
  assert.match(deps.stderr, /installed dbt_utils/);
  const lock = readFileSync(join(project, 'package-lock.yml'), 'utf8');
  assert.match(lock, /- local: \.\.\/\n\s+name: dbt_utils\nsha1_hash: [0-9a-f]{40}/);

  const build = await runPipeline(['build', '--project-dir', project, '--schema-prefix', prefix, '--threads', '4']);
  const results = JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8')) as {
    results: { unique_id: string; status: string; message: string | null }[];
  };
  const ok = new Set(['success', 'pass', 'warn']);
  const failing = results.results.filter((r) => !ok.has(r.status));
  const unexpected = failing.filter((r) => !(r.unique_id.replace(/\.[0-9a-f]{10}$/, '') in EXPECTED_FAILURES));
  const nowPassing = Object.keys(EXPECTED_FAILURES).filter((id) => !failing.some((r) => r.unique_id.replace(/\.[0-9a-f]{10}$/, '') === id));
  const passed = results.results.length - failing.length;
  console.log(`dbt-utils integration_tests: ${passed} of ${results.results.length} nodes pass; ${failing.length} expected failures`);
  assert.deepEqual(
    unexpected.map((r) => `${r.unique_id} ${r.status}: ${(r.message ?? '').slice(0, 200)}`),
    [],
    'every node not listed in dbt-utils-expected.ts passes',
  );
  assert.deepEqual(nowPassing, [], 'an expected failure that passes now is taken off the list');
  assert.equal(build.code, 1, 'the expected failures make build exit 1');
  if (SCHEMAS) {
    // The artifacts of a real dbt project validate against dbt's JSON Schemas too.
    assertValid('manifest-v12.json', JSON.parse(readFileSync(join(project, 'target', 'manifest.json'), 'utf8')));
    assertValid('run-results-v6.json', JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8')));
  }
});
