import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../../actions/platform/run-results.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { writeProject } from '../helpers/temp-project.ts';

const prefix = testPrefix('dbtctx');
const dbPromise = openTestDb(1);

after(async () => {
  const db = await dbPromise;
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

test('while running, execute is true: run_query, statement, adapter.get_columns_in_relation and dbt.* macros reach the database; unqualified tables read the target schema', async () => {
  const dir = writeProject({
    'dbt_project.yml': 'name: ctx\nconfig-version: 2\nprofile: x\n',
    'seeds/codes.csv': 'code,label\n1,one\n2,two\n3\n',
    'models/counted.sql': [
      "{% set t = run_query('select count(*) as n, max(code) as m from ' ~ ref('codes')) %}",
      "{% call statement('labels', fetch_result=True) %}select label from {{ ref('codes') }} where label is not null order by code{% endcall %}",
      "{% set cols = adapter.get_columns_in_relation(ref('codes')) %}",
      'select {{ t[0][0] if execute else 0 }} as n, {{ t.columns[1].values()[0] if execute else 0 }} as m,',
      "  '{{ (load_result('labels').table.columns[0].values() | join('+')) if execute else '' }}' as labels,",
      "  '{{ cols | map(attribute='name') | join(',') }}' as cols,",
      "  {{ dbt.datediff(\"'2024-01-31'\", \"'2024-03-01'\", 'month') }} as months,",
      '  (select count(*) from codes) as unqualified',
    ].join('\n'),
  });
  const r = await runPipelineInProcess(['build', '--project-dir', dir, '--schema-prefix', prefix], {});
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const db = await dbPromise;
  const [row] = await db.query<Record<string, unknown>>(`select * from \`${prefix}ctx\`.counted`);
  assert.deepEqual(
    { ...row, n: Number(row!.n), m: Number(row!.m), months: Number(row!.months), unqualified: Number(row!.unqualified) },
    { n: 3, m: 3, labels: 'one+two', cols: 'code,label', months: 2, unqualified: 3 },
  );
  const results = JSON.parse(readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')) as RunResults;
  assert.deepEqual(
    results.results.map((x) => [x.unique_id, x.status]),
    [
      ['seed.ctx.codes', 'success'],
      ['model.ctx.counted', 'success'],
    ],
  );
});
