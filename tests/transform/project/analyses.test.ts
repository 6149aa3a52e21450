/** dbt's analyses: `compile` renders analyses/ (ref, source, macros) into target/compiled/, runs nothing. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runPipelineInProcess } from '../../helpers/cli.ts';
import { BASIC_CONFIG, writeProject } from '../../helpers/temp-project.ts';

test('compile writes each analysis to target/compiled/ with ref() and macros resolved', async () => {
  const dir = writeProject({
    'pipeline.yml': `${BASIC_CONFIG}models:\n  demo:\n    +schema: marts\n`,
    'models/orders.sql': 'select 1 as id, 10 as amount',
    'macros/cents.sql': '{% macro cents(c) %}({{ c }} * 100){% endmacro %}',
    'analyses/revenue.sql': "select sum({{ cents('amount') }}) as cents from {{ ref('orders') }}",
  });
  const r = await runPipelineInProcess(['compile', '--project-dir', dir, '--schema-prefix', 'an_'], {
    DATABASE_URL: 'mysql://nobody@127.0.0.1:1',
  });
  assert.equal(r.code, 0, r.stderr);
  const sql = readFileSync(join(dir, 'target', 'compiled', 'demo', 'analyses', 'revenue.sql'), 'utf8');
  assert.equal(sql.trim(), 'select sum((amount * 100)) as cents from `an_marts`.`orders`');
});

test('an analysis that refs an unknown model is a compile error naming the file', async () => {
  const dir = writeProject({
    'pipeline.yml': BASIC_CONFIG,
    'models/orders.sql': 'select 1 as id',
    'analyses/bad.sql': "select * from {{ ref('nope') }}",
  });
  const r = await runPipelineInProcess(['compile', '--project-dir', dir], { DATABASE_URL: 'mysql://nobody@127.0.0.1:1' });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /analyses\/bad\.sql/);
});
