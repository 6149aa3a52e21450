/**
 * Schema naming as dbt: generate_schema_name / generate_alias_name from the project (or a
 * package), dbt's default when there is none (`<target schema>_<custom>`), and the warehouse's own
 * macros/generate_schema_name.sql, which keeps each layer's name as it is: no `_silver`-style
 * schema (the old job's bug) can appear. generate_database_name the same way; MySQL has no
 * database above the schema, so a node resolving to another database than the target's is refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfig } from '../../../actions/platform/config.ts';
import { createSchemas } from '../../../actions/platform/schemas.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import type { ModelNode, SeedNode } from '../../../actions/transform/project/types.ts';
import { ConfigError } from '../../../actions/platform/errors.ts';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
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

/** The problems reading a project reports (it must fail). */
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => p.message);
  }
  return assert.fail('expected the project to be refused');
}

test("generate_database_name: dbt's default gives the target's database, and a database config naming it is accepted", () => {
  const p = projectOf({
    ...MODELS,
    'models/same.sql': "{{ config(database='demo') }}select 1 as id",
  });
  const { engine } = runtimeOf(p);
  const orders = p.nodes.get('model.demo.orders');
  assert.equal(engine.callMacro('generate_database_name', [null, orders], 'test', 'demo'), 'demo', "no custom database: the target's");
  assert.equal(engine.callMacro('generate_database_name', ['other', orders], 'test', 'demo'), 'other', 'a custom one: as it is');
  assert.ok(p.nodes.has('model.demo.same'));
});

test('a database config naming another database is refused, naming the node and what to do', () => {
  const messages = problemsOf(() =>
    projectOf({
      'pipeline.yml': `${BASIC_CONFIG}models:\n  demo:\n    marts:\n      +database: analytics\n`,
      'models/marts/orders.sql': 'select 1 as id',
      'models/other.sql': "{{ config(database='warehouse2') }}select 1 as id",
      'models/fine.sql': 'select 1 as id',
      'models/snapshots.yml': `version: 2
snapshots:
  - name: snap_orders
    relation: ref('fine')
    config: {database: archive, unique_key: id, strategy: check, check_cols: all}
`,
      'snapshots/legacy.sql':
        "{% snapshot snap_legacy %}{{ config(target_database='old_dwh', unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('fine') }}{% endsnapshot %}",
    }),
  );
  assert.equal(messages.length, 4, messages.join('\n'));
  const of = (name: string) => messages.find((m) => m.includes(` ${name} (`)) ?? '';
  assert.match(
    of('orders'),
    /^model orders \(models\/marts\/orders\.sql\) resolves to the database 'analytics', but MySQL and MariaDB have no database above the schema \(the target's is 'demo'\)\. To fix this, remove its database config \(use schema to place it\) or make generate_database_name return target\.database\.$/,
  );
  assert.match(of('other'), /'warehouse2'/);
  assert.match(of('snap_orders'), /^snapshot snap_orders .*'archive'/);
  assert.match(of('snap_legacy'), /^snapshot snap_legacy .*'old_dwh'/, "the legacy target_database is the snapshot's database");
  for (const m of messages) assert.doesNotMatch(m, /\n/, 'one line');
});

test("the project's generate_database_name decides: returning the target's accepts any config, returning another refuses every node", () => {
  const keep = projectOf({
    'models/other.sql': "{{ config(database='warehouse2') }}select 1 as id",
    'macros/db.sql': '{% macro generate_database_name(custom_database_name=none, node=none) %}{{ target.database }}{% endmacro %}',
  });
  assert.ok(keep.nodes.has('model.demo.other'), 'the override ignores the config, as dbt would');
  const messages = problemsOf(() =>
    projectOf({
      'models/a.sql': 'select 1 as id',
      'seeds/codes.csv': 'code\n1\n',
      'macros/db.sql': '{% macro generate_database_name(custom_database_name=none, node=none) %}dwh_{{ node.name }}{% endmacro %}',
    }),
  );
  assert.deepEqual(
    messages.map((m) => m.replace(/ \(.*$/, '')),
    ['model a', 'seed codes'],
  );
  assert.match(messages[0]!, /'dwh_a'/);
  // A macro that fails is reported for each node, naming it (the call is compiled once for all).
  try {
    projectOf({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select 2 as id',
      'macros/db.sql': '{% macro generate_database_name(custom_database_name=none, node=none) %}{{ nope_fn() }}{% endmacro %}',
    });
    assert.fail('expected the project to be refused');
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.deepEqual(
      err.problems.map((p) => p.location?.file),
      ['generate_database_name for models/a.sql', 'generate_database_name for models/b.sql'],
    );
  }
});
