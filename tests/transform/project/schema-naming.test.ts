/**
 * Schema naming as dbt: generate_schema_name / generate_alias_name from the project (or a
 * package), dbt's default when there is none (`<target schema>_<custom>`), and the warehouse's own
 * macros/generate_schema_name.sql, which keeps each layer's name as it is: no `_silver`-style
 * schema (the old job's bug) can appear.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from '../../../actions/platform/config.ts';
import { createSchemas } from '../../../actions/platform/schemas.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import type { ModelNode, SeedNode } from '../../../actions/transform/project/types.ts';
import { ROOT } from '../../helpers/cli.ts';
import { BASIC_CONFIG, projectOf } from '../../helpers/temp-project.ts';

const MODELS = {
  'pipeline.yml': `${BASIC_CONFIG}models:\n  demo:\n    marts:\n      +schema: marts\n`,
  'models/marts/orders.sql': 'select 1 as id',
  'models/plain.sql': "{{ config(alias='plain_v2') }}select 1 as id",
};

test("without a macro in the project, dbt's default names a custom schema <target schema>_<custom>", () => {
  const p = projectOf(MODELS, { dbtDefaultNaming: true });
  const orders = p.nodes.get('model.demo.orders') as ModelNode;
  assert.equal(orders.schema, 'demo_marts');
  const plain = p.nodes.get('model.demo.plain') as ModelNode;
  assert.equal(plain.schema, undefined, 'no custom schema: the default schema');
  assert.equal(plain.alias, 'plain_v2');
  const rel = publishedResolver(createSchemas(p.config, 'ci_')).resolve(orders);
  assert.equal(`${rel.schema}.${rel.identifier}`, 'ci_demo_marts.orders', '--schema-prefix still applies');
});

test("the project's generate_schema_name and generate_alias_name replace dbt's (here: verbatim, and a suffix)", () => {
  const p = projectOf({
    ...MODELS,
    'macros/naming.sql': `{% macro generate_schema_name(custom_schema_name, node) -%}
{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
{{ (custom_alias_name or node.name) ~ '_t' }}
{%- endmacro %}`,
  });
  const orders = p.nodes.get('model.demo.orders') as ModelNode;
  assert.equal(orders.schema, 'marts');
  assert.equal(orders.alias, 'orders_t');
  assert.equal((p.nodes.get('model.demo.plain') as ModelNode).alias, 'plain_v2_t');
});

test("the warehouse's macro keeps silver, gold, seeds and snapshots as they are: no '_silver'-style schema can appear", () => {
  const p = readProject(ROOT, readConfig(ROOT));
  const schemas = new Set<string>();
  for (const n of p.nodes.values()) {
    if (n.resource_type !== 'model' && n.resource_type !== 'seed') continue; // snapshots are model nodes
    schemas.add((n as ModelNode | SeedNode).schema ?? '(default)');
  }
  assert.deepEqual([...schemas].sort(), ['gold', 'seeds', 'silver', 'snapshots']);
  const physical = createSchemas(p.config, 'pfx_');
  for (const s of schemas) {
    assert.doesNotMatch(s, /^_|^tokyobeta_/, `${s}: dbt's default would have named it <target schema>_<layer>`);
    assert.equal(physical.physical(s), `pfx_${s}`);
  }
});
