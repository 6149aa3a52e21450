import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readConfig } from '../../../actions/platform/config.ts';
import { ConfigError } from '../../../actions/platform/errors.ts';
import { compileNode } from '../../../actions/transform/project/compile.ts';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import { makeRelation } from '../../../actions/transform/project/resolver.ts';
import type { ModelNode, SeedNode, SourceNode, TestNode } from '../../../actions/transform/project/types.ts';
import { ROOT } from '../../helpers/cli.ts';
import { BASIC_CONFIG, projectOf, writeProject } from '../../helpers/temp-project.ts';

const SHOP = join(ROOT, 'tests', 'fixtures', 'dbt-shop');

function problemsOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('a dbt project is read from dbt_project.yml: models, seeds, sources, tests, macros and docs', () => {
  const p = readProject(SHOP, readConfig(SHOP));
  const stg = p.nodes.get('model.shop.stg_orders') as ModelNode;
  assert.equal(stg.config.materialized, 'view');
  assert.equal(stg.schema, 'shop_staging');
  assert.deepEqual(stg.tags, ['staging']);
  assert.deepEqual(stg.depends_on.nodes, ['source.shop.raw.orders']);
  assert.deepEqual(stg.fqn, ['shop', 'staging', 'stg_orders']);
  const mart = p.nodes.get('model.shop.customer_orders') as ModelNode;
  assert.equal(mart.config.materialized, 'table', 'materialized without + in the tree');
  assert.deepEqual([...mart.depends_on.nodes].sort(), ['model.shop.stg_customers', 'model.shop.stg_orders']);
  assert.deepEqual(mart.depends_on.macros, ['macro.shop.count_status']);
  const inc = p.nodes.get('model.shop.order_totals') as ModelNode;
  assert.equal(inc.config.unique_key, 'customer_id');
  const seed = p.nodes.get('seed.shop.raw_customers') as SeedNode;
  assert.deepEqual(seed.config.column_types, { id: 'INT', name: 'VARCHAR(50)' });
  assert.equal(seed.description, 'One row per customer who signed up.', 'doc() in a description');
  assert.equal((p.nodes.get('seed.shop.code_status') as SeedNode).config.delimiter, ';');
  const src = p.sources.get('source.shop.raw.orders') as SourceNode;
  assert.equal(src.identifier, 'raw_orders');
  assert.equal(src.schema, 'shop_seeds');
  assert.equal(src.loaded_at_field, 'ordered_at');
  assert.deepEqual(p.child_map['model.shop.stg_orders'], [
    'model.shop.completed_orders',
    'model.shop.customer_orders',
    ...p.child_map['model.shop.stg_orders']!.slice(2),
  ]);
});

test('generic tests from tests: and data_tests: carry their arguments, config and YAML line', () => {
  const p = readProject(SHOP, readConfig(SHOP));
  const tests = [...p.nodes.values()].filter((n): n is TestNode => n.resource_type === 'test');
  const rel = tests.find((t) => t.test_metadata?.name === 'relationships')!;
  assert.equal(rel.attached_node, 'model.shop.stg_orders');
  assert.equal(rel.column_name, 'customer_id');
  assert.deepEqual(rel.test_metadata!.kwargs, { to: "ref('stg_customers')", field: 'customer_id' });
  assert.equal(rel.config.severity, 'warn');
  assert.equal(rel.original_file_path, 'models/staging/schema.yml');
  assert.equal(rel.location.line, 16);
  assert.deepEqual([...rel.depends_on.nodes].sort(), ['model.shop.stg_customers', 'model.shop.stg_orders']);
  const av = tests.find((t) => t.test_metadata?.name === 'accepted_values')!;
  assert.deepEqual(av.test_metadata!.kwargs, { values: ['completed', 'returned', 'pending'] });
  assert.equal(av.config.severity, 'error');
  assert.equal(av.config.warn_if, '!= 0');
  const unique = tests.find((t) => t.name === 'unique_stg_orders_order_id')!;
  assert.match(unique.unique_id, /^test\.shop\.unique_stg_orders_order_id\.[0-9a-f]{10}$/);
  assert.equal(unique.location.line, 8);
  const seedTests = tests
    .filter((t) => t.attached_node === 'seed.shop.code_status')
    .map((t) => t.test_metadata!.name)
    .sort();
  assert.deepEqual(seedTests, ['not_null', 'unique'], 'data_tests: on a seed column');
  const sourceTest = tests.find((t) => t.attached_node === 'source.shop.raw.orders')!;
  assert.equal(sourceTest.name, 'source_unique_raw_orders_id');
  const singular = tests.find((t) => t.kind === 'singular')!;
  assert.equal(singular.name, 'no_negative_amounts');
  assert.deepEqual(singular.depends_on.nodes, ['model.shop.stg_orders']);
});

test('test configs: where, limit, warn_if, error_if, store_failures, at argument level or under config:', () => {
  const p = projectOf({
    'models/a.sql': 'select 1 as id',
    'models/a.yml': `version: 2
models:
  - name: a
    columns:
      - name: id
        tests:
          - not_null:
              where: "id > 0"
              config:
                limit: 5
                warn_if: ">10"
                error_if: ">100"
                store_failures: true
`,
  });
  const t = [...p.nodes.values()].find((n) => n.resource_type === 'test') as TestNode;
  assert.deepEqual(
    {
      where: t.config.where,
      limit: t.config.limit,
      warn_if: t.config.warn_if,
      error_if: t.config.error_if,
      store: t.config.store_failures,
    },
    { where: 'id > 0', limit: 5, warn_if: '>10', error_if: '>100', store: true },
  );
  assert.equal(t.location.line, 7);
});

test('config precedence: tree, then property file config:, then config() in the model; tags accumulate', () => {
  const dir = writeProject({
    'pipeline.yml': `${BASIC_CONFIG}models:\n  demo:\n    +tags: [nightly]\n    +materialized: table\n    sub:\n      tags: deep\n      +schema: tree_schema\n`,
    'models/sub/m.sql': "{{ config(alias='m_alias', tags=['inline']) }}\nselect 1 as x",
    'models/sub/m.yml': 'version: 2\nmodels:\n  - name: m\n    config:\n      schema: yml_schema\n      materialized: view\n',
  });
  const m = readProject(dir, readConfig(dir)).nodes.get('model.demo.m') as ModelNode;
  assert.equal(m.schema, 'yml_schema');
  assert.equal(m.config.materialized, 'view');
  assert.equal(m.alias, 'm_alias');
  assert.deepEqual(m.tags, ['nightly', 'deep', 'inline']);
});

test('an unknown config key is kept on the node (config.get reads it) and warned about with file and line, as dbt accepts any config', () => {
  const p = projectOf({
    'pipeline.yml': `${BASIC_CONFIG}models:\n  demo:\n    +materialised: table\n    +transient: false\n`,
    'models/a.sql': "{{ config(colour='blue') }}select '{{ config.get('colour') }}' as c",
  });
  const { warnings } = runtimeOf(p);
  const tree = warnings.find((w) => w.message.includes("'+materialised'"))!;
  assert.match(tree.message, /not a model config this engine knows \(enabled, tags, schema, alias/);
  assert.equal(tree.location?.line, 9);
  assert.ok(warnings.some((w) => w.message.includes("'colour' is not a model config")));
  const a = p.nodes.get('model.demo.a') as ModelNode;
  assert.equal(a.config.transient, false);
  assert.equal(a.config.colour, 'blue');
  assert.match(compileNode(p, 'model.demo.a', { resolve: (n) => makeRelation('s', n.name) }), /select 'blue' as c/);
});

test('a word under models: that is neither a folder nor a config (no +) is still a project error', () => {
  const err = problemsOf(() =>
    projectOf({ 'pipeline.yml': `${BASIC_CONFIG}models:\n  demo:\n    materialised: table\n`, 'models/a.sql': 'select 1' }),
  );
  assert.match(err.message, /unknown model config 'materialised'/);
});

test('an unknown materialization is a project error', () => {
  const err = problemsOf(() => projectOf({ 'models/a.sql': "{{ config(materialized='snapshot') }}select 1" }));
  assert.match(err.message, /materialized' must be one of view, table, incremental, ephemeral, got "snapshot"/);
});

test('malformed YAML in a property file names file and line; every problem is reported at once', () => {
  const err = problemsOf(() =>
    projectOf({
      'models/a.sql': 'select 1',
      'models/bad.yml': 'version: 2\nmodels:\n  - name: a\n    columns: [oops\n',
      'models/b.sql': "select * from {{ ref('nope') }}",
    }),
  );
  assert.ok(
    err.problems.some((p) => p.location?.file === 'models/bad.yml' && /YAML syntax error/.test(p.message)),
    err.message,
  );
  assert.ok(
    err.problems.some((p) => /ref\('nope'\)/.test(p.message)),
    'the other problem is reported too',
  );
});

test('an unknown ref names the model, what it asked for, and a near name', () => {
  const err = problemsOf(() =>
    projectOf({ 'models/stg_rooms.sql': 'select 1 as id', 'models/mart.sql': "select * from {{ ref('stg_room') }}" }),
  );
  assert.match(
    err.message,
    /model 'mart' has ref\('stg_room'\), but the project has no model or seed named 'stg_room'\. Did you mean 'stg_rooms'\?/,
  );
  assert.equal(err.problems[0]!.location?.file, 'models/mart.sql');
});

test('an unknown source names the model and the source it asked for', () => {
  const err = problemsOf(() =>
    projectOf({
      'models/s.yml': 'version: 2\nsources:\n  - name: staging\n    tables:\n      - name: movings\n',
      'models/m.sql': "select * from {{ source('staging', 'moving') }}",
    }),
  );
  assert.match(err.message, /model 'm' has source\('staging', 'moving'\).*Did you mean 'staging\.movings'\?/);
});

test('a cycle is an error naming every model in it', () => {
  const err = problemsOf(() =>
    projectOf({
      'models/a.sql': "select * from {{ ref('c') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "select * from {{ ref('b') }}",
    }),
  );
  assert.match(err.message, /the models form a cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/);
});

test('a template error names the file and the line', () => {
  const err = problemsOf(() => projectOf({ 'models/a.sql': 'select 1\nfrom x\n{% if %}\n' }));
  assert.equal(err.problems[0]!.location?.file, 'models/a.sql');
  assert.equal(err.problems[0]!.location?.line, 3);
  const err2 = problemsOf(() => projectOf({ 'models/b.sql': 'select\n  1\n  {{ no_such_macro() }}\n' }));
  assert.equal(err2.problems[0]!.location?.line, 3);
  assert.match(err2.message, /no_such_macro.*define that macro/);
});

test('var() reads pipeline.yml vars, --vars overrides, defaults apply, and a missing var is an error', () => {
  const files = {
    'pipeline.yml': `${BASIC_CONFIG}vars:\n  as_of_date: '2026-02-05'\n`,
    'models/a.sql': "select '{{ var('as_of_date') }}' as d, {{ var('n', 7) }} as n",
  };
  const p = projectOf(files, { vars: { n: 9 } });
  assert.equal(p.vars.as_of_date, '2026-02-05');
  assert.equal(p.vars.n, 9);
  const err = problemsOf(() => projectOf({ 'models/a.sql': "select {{ var('missing') }}" }));
  assert.match(err.message, /required var 'missing' is not set/);
});

test('a disabled model is left out, and a ref to it says so', () => {
  const err = problemsOf(() =>
    projectOf({
      'models/a.sql': '{{ config(enabled=false) }}select 1',
      'models/b.sql': "select * from {{ ref('a') }}",
    }),
  );
  assert.match(err.message, /'a' is disabled/);
});

test('properties for a model that does not exist are a warning, as in dbt', () => {
  const p = projectOf({ 'models/stg_rooms.sql': 'select 1', 'models/x.yml': 'version: 2\nmodels:\n  - name: stg_room\n' });
  assert.ok(runtimeOf(p).warnings.some((w) => /properties for model 'stg_room'.*Did you mean 'stg_rooms'/.test(w.message)));
});

test('the repository pipeline.yml project reads (whatever models it has today)', () => {
  const cfg = readConfig(ROOT);
  const p = readProject(ROOT, cfg);
  assert.equal(p.name, 'tokyobeta');
});

test('two nodes building the same relation are a project error', () => {
  const err = problemsOf(() =>
    projectOf({
      'models/a.sql': "{{ config(alias='same', schema='x') }}select 1",
      'models/b.sql': "{{ config(alias='same', schema='x') }}select 2",
    }),
  );
  assert.match(err.message, /model 'b' and model 'a' \(models\/a\.sql\) would both build x\.same/);
});

test('dbt_project.yml is read as dbt reads it: dbt-cloud:, deprecated paths (warned, honoured), Jinja in config values, adapter configs kept', () => {
  const dir = writeProject({
    'dbt_project.yml': [
      'name: legacy',
      'config-version: 2',
      'profile: x',
      'dbt-cloud:',
      '  project-id: 12',
      'source-paths: [sql]',
      'data-paths: [data]',
      'vars:',
      '  load_source_data: false',
      'models:',
      '  legacy:',
      '    +transient: false',
      '    off:',
      '      +enabled: "{{ var(\'load_source_data\', true) }}"',
      '    on:',
      "      +schema: \"{{ env_var('MART_SCHEMA', 'marts') }}\"",
      '',
    ].join('\n'),
    'sql/off/a.sql': 'select 1 as x',
    'sql/on/b.sql': "select '{{ config.get('transient') }}' as t",
    'data/codes.csv': 'code,name,extra\n1,a\n2,b,c\n',
    'sql/schema.yml': 'version: 2\nmodels:\n  - name: codes\n    description: a seed described under models\n',
  });
  const cfg = readConfig(dir);
  assert.deepEqual(cfg.modelPaths, ['sql']);
  assert.deepEqual(cfg.seedPaths, ['data']);
  assert.deepEqual(
    cfg.warnings.map((w) => w.path),
    ['source-paths', 'data-paths'],
  );
  const p = readProject(dir, cfg, { envVars: { MART_SCHEMA: 'mart_x' } });
  assert.equal(p.nodes.has('model.legacy.a'), false, 'enabled rendered from var() to false');
  const b = p.nodes.get('model.legacy.b') as ModelNode;
  assert.equal(b.schema, 'mart_x');
  assert.equal(b.config.transient, false);
  assert.match(compileNode(p, 'model.legacy.b', { resolve: (n) => makeRelation('s', n.name) }), /select 'false' as t/);
  assert.equal((p.nodes.get('seed.legacy.codes') as SeedNode).description, 'a seed described under models');
  assert.ok(runtimeOf(p).warnings.some((w) => /'codes' is described under models:, but it is a seed/.test(w.message)));
});
