import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileNode, injectCtes } from '../../../actions/transform/project/compile.ts';
import { publishedResolver, shadowResolver } from '../../../actions/transform/project/resolver.ts';
import { createSchemas } from '../../../actions/platform/schemas.ts';
import type { ModelNode } from '../../../actions/transform/project/types.ts';
import { projectOf } from '../../helpers/temp-project.ts';

const schemas = createSchemas(
  { schema: 'demo', staging: { schema: 'staging' }, metaSchema: 'pipeline_meta', auditSchema: 'pipeline_audit' },
  'dev_',
);

const files = {
  'models/s.yml': 'version: 2\nsources:\n  - name: staging\n    tables:\n      - name: movings\n        identifier: vendor_movings\n',
  'models/silver/stg.sql': "{{ config(schema='silver') }}select id, status from {{ source('staging', 'movings') }}",
  'models/gold/g.sql':
    "{{ config(schema='gold', materialized='table') }}select * from {{ ref('stg') }} -- in {{ this }}, schema {{ this.schema }}",
  'models/d.sql': 'select id from {{ ref("stg") }}',
};

test('ref, source and this resolve through the resolver: published names carry the prefix, custom schemas verbatim', () => {
  const p = projectOf(files);
  const sql = compileNode(p, 'model.demo.g', publishedResolver(schemas));
  assert.equal(sql, 'select * from `dev_silver`.`stg` -- in `dev_gold`.`g`, schema dev_gold');
  assert.equal(compileNode(p, 'model.demo.stg', publishedResolver(schemas)), 'select id, status from `dev_staging`.`vendor_movings`');
  assert.equal(compileNode(p, 'model.demo.d', publishedResolver(schemas)), 'select id from `dev_silver`.`stg`');
});

test('the same project compiles against shadow schemas (write-audit-publish), sources staying published', () => {
  const p = projectOf(files);
  const shadow = shadowResolver(schemas);
  assert.equal(
    compileNode(p, 'model.demo.g', shadow),
    'select * from `dev_silver__shadow`.`stg` -- in `dev_gold__shadow`.`g`, schema dev_gold__shadow',
  );
  assert.equal(compileNode(p, 'model.demo.stg', shadow), 'select id, status from `dev_staging`.`vendor_movings`');
  assert.equal(compileNode(p, 'model.demo.d', shadow), 'select id from `dev_silver__shadow`.`stg`');
  const partial = shadowResolver(schemas, { inShadow: (n) => n.name !== 'stg' });
  assert.equal(
    compileNode(p, 'model.demo.d', partial),
    'select id from `dev_silver`.`stg`',
    'unselected nodes read the published relation',
  );
});

test('set, for with loop variables, whitespace control, if, comments and macros render like Jinja', () => {
  const p = projectOf({
    'macros/util.sql':
      '{% macro pct(a, b) -%}\n  round(100.0 * {{ a }} / nullif({{ b }}, 0), 1)\n{%- endmacro %}\n{% macro twice(x) %}{{ pct(x, x) }}{% endmacro %}',
    'models/m.sql': [
      '{# a comment that vanishes #}',
      "{%- set kinds = ['a', 'b', 'c'] -%}",
      'select',
      '{%- for k in kinds %}',
      "  sum(kind = '{{ k }}') as n_{{ k }}{{ ',' if not loop.last }} -- {{ loop.index }}/{{ loop.length }}{% if loop.first %} first{% endif %}",
      '{%- endfor %},',
      '  {{ pct("x", "y") }} as p, {{ twice("z") }} as t',
      "{% if var('with_filter', false) %}where 1 = 1{% endif %}",
    ].join('\n'),
  });
  const sql = compileNode(p, 'model.demo.m', publishedResolver(schemas));
  assert.equal(
    sql,
    [
      'select',
      "  sum(kind = 'a') as n_a, -- 1/3 first",
      "  sum(kind = 'b') as n_b, -- 2/3",
      "  sum(kind = 'c') as n_c -- 3/3,",
      '  round(100.0 * x / nullif(y, 0), 1) as p, round(100.0 * z / nullif(z, 0), 1) as t',
      '',
    ].join('\n'),
  );
});

test('is_incremental() answers what the materialization decided', () => {
  const p = projectOf({
    'models/i.sql':
      "{{ config(materialized='incremental', unique_key='id') }}select 1 as id{% if is_incremental() %} where id > (select max(id) from {{ this }}){% endif %}",
  });
  const r = publishedResolver(schemas);
  assert.equal(compileNode(p, 'model.demo.i', r), 'select 1 as id');
  assert.equal(
    compileNode(p, 'model.demo.i', r, { isIncremental: true }),
    'select 1 as id where id > (select max(id) from `dev_demo`.`i`)',
  );
  assert.equal((p.nodes.get('model.demo.i') as ModelNode).config.unique_key, 'id');
});

test('ephemeral models are inlined as CTEs, nested ones first, merged into a WITH the model has', () => {
  const p = projectOf({
    'models/e1.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
    'models/e2.sql': "{{ config(materialized='ephemeral') }}select id from {{ ref('e1') }}",
    'models/m.sql': "with x as (select * from {{ ref('e2') }})\nselect * from x join {{ ref('e1') }} using (id)",
  });
  assert.equal(
    compileNode(p, 'model.demo.m', publishedResolver(schemas)),
    'with `__dbt__cte__e1` as (\nselect 1 as id\n),\n`__dbt__cte__e2` as (\nselect id from `__dbt__cte__e1`\n),\nx as (select * from `__dbt__cte__e2`)\nselect * from x join `__dbt__cte__e1` using (id)',
  );
  assert.equal(injectCtes('select 1', [{ name: 'c', sql: 'select 2' }]), 'with `c` as (\nselect 2\n)\nselect 1');
});

test('plain SQL with simple calls takes the fast path and renders exactly as nunjucks does', async () => {
  const { parseSimple } = await import('../../../actions/transform/project/simple-template.ts');
  const bodies = [
    "select * from {{ ref('a') }} where x = '{{ var(\"v\") }}' and y = {{ var('n', 3) }} and z = '{{ var('nothing', none) }}'\n",
    "{{ config(materialized='table', tags=['x', 'y'], unique_key=\"id\", enabled=True) }}\nselect 1 as id from {{ source('s', 't') }} -- {{ this }}",
    'select {{ var("flags") }} as f, {{ var("pi", 3.14) }} as pi',
  ];
  for (const simple of [true, false]) {
    const files: Record<string, string> = {
      'pipeline.yml': 'name: demo\nvars:\n  v: hello\n  flags: [1, 2]\n',
      'models/a.sql': 'select 1',
      'models/s.yml': 'version: 2\nsources:\n  - name: s\n    tables:\n      - name: t\n',
    };
    bodies.forEach((b, i) => (files[`models/m${i}.sql`] = simple ? b : `{# force nunjucks #}${b}`));
    const p = projectOf(files);
    const out = bodies.map((_, i) => compileNode(p, `model.demo.m${i}`, publishedResolver(schemas)));
    assert.deepEqual(
      out,
      [
        "select * from `dev_demo`.`a` where x = 'hello' and y = 3 and z = ''\n",
        '\nselect 1 as id from `dev_s`.`t` -- `dev_demo`.`m1`',
        'select 1,2 as f, 3.14 as pi',
      ],
      simple ? 'fast path' : 'nunjucks',
    );
    const m1 = p.nodes.get('model.demo.m1') as ModelNode;
    assert.deepEqual([m1.config.materialized, m1.tags, m1.config.unique_key], ['table', ['x', 'y'], 'id']);
  }
  assert.equal(parseSimple("select {{ ref('a').schema }}"), undefined, 'attribute access goes to nunjucks');
  assert.equal(parseSimple('{%- set x = 1 -%}select'), undefined);
  assert.equal(parseSimple("{{- ref('a') }}"), undefined, 'whitespace control goes to nunjucks');
});

test('an error in a fast-path template names file and line too', async () => {
  const { ConfigError } = await import('../../../actions/platform/errors.ts');
  assert.throws(
    () => projectOf({ 'models/m.sql': "select 1\nfrom x\nwhere y = {{ var('missing') }}" }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.problems[0]!.location, { file: 'models/m.sql', line: 3 });
      assert.match(err.problems[0]!.message, /required var 'missing' is not set/);
      return true;
    },
  );
});

test('a macro that calls ref() adds the dependency and resolves like the model would; env_var reads what the CLI passed', async () => {
  const p = projectOf(
    {
      'macros/lookup.sql': '{% macro lookup(name) %}(select label from {{ ref(name) }}){% endmacro %}',
      'models/codes.sql': "select 1 as code, 'one' as label",
      'models/m.sql':
        "select {{ lookup('codes') }} as label, '{{ env_var('REGION', 'none') }}' as region, '{{ env_var('MISSING', 'dflt') }}' as d",
    },
    { envVars: { REGION: 'ap-northeast-1' } },
  );
  assert.deepEqual(p.nodes.get('model.demo.m')!.depends_on.nodes, ['model.demo.codes']);
  assert.equal(
    compileNode(p, 'model.demo.m', publishedResolver(schemas)),
    "select (select label from `dev_demo`.`codes`) as label, 'ap-northeast-1' as region, 'dflt' as d",
  );
});
