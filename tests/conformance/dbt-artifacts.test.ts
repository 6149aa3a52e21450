/**
 * dbt's artifacts as tools read them: the daily job over the golden dump writes manifest.json and
 * run_results.json, `pipeline source freshness` writes sources.json, and each must validate against
 * dbt's own published JSON Schema (copies in ../shared/reference/dbt-schemas/: manifest v12,
 * run_results v6, sources v3); dbt-utils.test.ts checks a real dbt project's the same way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { assertValid, SCHEMAS } from './dbt-schemas.ts';
import { FIXTURES } from './fixtures.ts';

const GOLDEN_DUMP = join(ROOT, 'tests', 'fixtures', 'golden', 'gghouse_20260205.sql');

describe("dbt's artifacts validate against dbt's JSON Schemas", { skip: SCHEMAS ? false : `no ${FIXTURES.dbtSchemas}` }, () => {
  const prefix = testPrefix('dbtart');
  const targetDir = mkdtempSync(join(tmpdir(), 'dbt-artifacts-'));
  let daily: { code: number; stdout: string; stderr: string };
  const read = (f: string) => JSON.parse(readFileSync(join(targetDir, f), 'utf8')) as Record<string, unknown>;

  before(async () => {
    daily = await runPipelineInProcess(['daily', '--dump', GOLDEN_DUMP, '--schema-prefix', prefix, '--target-dir', targetDir]);
  });

  after(async () => {
    rmSync(targetDir, { recursive: true, force: true });
    const db = await openTestDb();
    await dropSchemasWithPrefix(db, prefix);
    await db.close();
  });

  it('manifest.json (v12), with every node of the warehouse', () => {
    assert.equal(daily.code, 0, daily.stderr);
    const manifest = read('manifest.json');
    assertValid('manifest-v12.json', manifest);
    assert.ok(Object.keys(manifest.nodes as object).some((id) => id === 'model.tokyobeta.new_contracts'));
  });

  it('run_results.json (v6), with compiled code and relation names', () => {
    const results = read('run_results.json');
    assertValid('run-results-v6.json', results);
    const model = (results.results as { unique_id: string; compiled_code: string | null; relation_name: string | null }[]).find(
      (r) => r.unique_id === 'model.tokyobeta.new_contracts',
    );
    assert.match(model?.compiled_code ?? '', /select/i);
    assert.equal(model?.relation_name, `\`${prefix}gold\`.\`new_contracts\``);
  });

  it('sources.json (v3) from `pipeline source freshness`, exit 0 when every source passes, 1 on an error', async () => {
    const r = await runPipelineInProcess([
      'source',
      'freshness',
      '--schema-prefix',
      prefix,
      '--target-dir',
      targetDir,
      '--vars',
      '{"as_of_date": "2026-02-05"}',
    ]);
    const sources = read('sources.json');
    assertValid('sources-v3.json', sources);
    const results = sources.results as { unique_id: string; status: string }[];
    assert.ok(results.some((s) => s.unique_id === 'source.tokyobeta.staging.movings'));
    assert.equal(r.code, results.some((s) => s.status === 'error' || s.status === 'runtime error') ? 1 : 0, r.stderr);
    assert.ok(
      results.every((s) => s.status === 'pass'),
      JSON.stringify(results),
    );
    assert.equal(r.code, 0);
  });
});
