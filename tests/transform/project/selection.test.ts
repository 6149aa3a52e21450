import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readConfig } from '../../../actions/platform/config.ts';
import { buildManifest } from '../../../actions/transform/project/artifacts.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import { selectNodes } from '../../../actions/transform/project/selection.ts';
import type { Project } from '../../../actions/transform/project/types.ts';
import { UsageError } from '../../../actions/platform/errors.ts';
import { ROOT } from '../../helpers/cli.ts';
import { writeProject } from '../../helpers/temp-project.ts';

const SHOP = join(ROOT, 'tests', 'fixtures', 'dbt-shop');
const project = readProject(SHOP, readConfig(SHOP));

/** Selected names of models, seeds and sources (tests left out unless asked). */
function names(p: Project, select?: string, exclude?: string, withTests = false): string[] {
  const { ids } = selectNodes(p, { select, exclude, indirect: withTests ? 'eager' : 'none' });
  return ids
    .filter((id) => withTests || !id.startsWith('test.'))
    .map((id) => id.split('.').slice(2).join('.'))
    .sort();
}

test('a name selects that node', () => {
  assert.deepEqual(names(project, 'stg_orders'), ['stg_orders']);
});

test('+name selects its ancestors, name+ its descendants, n+ and +n limit the depth', () => {
  assert.deepEqual(names(project, '+customer_orders'), ['customer_orders', 'raw.orders', 'raw_customers', 'stg_customers', 'stg_orders']);
  assert.deepEqual(names(project, 'stg_orders+'), ['completed_orders', 'customer_orders', 'order_totals', 'stg_orders']);
  assert.deepEqual(names(project, '1+customer_orders'), ['customer_orders', 'stg_customers', 'stg_orders']);
  assert.deepEqual(names(project, 'stg_orders+1'), ['completed_orders', 'customer_orders', 'stg_orders']);
});

test('tag:, path:, source:, resource_type: and config.materialized: select by attribute', () => {
  assert.deepEqual(names(project, 'tag:staging'), ['stg_customers', 'stg_orders']);
  assert.deepEqual(names(project, 'path:models/marts'), ['completed_orders', 'customer_orders', 'order_totals']);
  assert.deepEqual(names(project, 'models/marts/order_totals.sql'), ['order_totals']);
  assert.deepEqual(names(project, 'source:raw'), ['raw.orders']);
  assert.deepEqual(names(project, 'source:raw.orders+1'), ['raw.orders', 'stg_orders']);
  assert.deepEqual(names(project, 'resource_type:seed'), ['code_status', 'raw_customers', 'raw_orders']);
  assert.deepEqual(names(project, 'config.materialized:table'), ['customer_orders']);
});

test('a space is a union, a comma an intersection, --exclude removes', () => {
  assert.deepEqual(names(project, 'stg_orders stg_customers'), ['stg_customers', 'stg_orders']);
  assert.deepEqual(names(project, 'tag:marts,+customer_orders'), ['customer_orders']);
  assert.deepEqual(names(project, '+customer_orders', 'resource_type:seed source:raw'), ['customer_orders', 'stg_customers', 'stg_orders']);
  assert.deepEqual(names(project, 'stg_*'), ['stg_customers', 'stg_orders']);
  assert.deepEqual(names(project, 'staging.stg_orders'), ['stg_orders'], 'fqn with folders');
});

test('tests follow the nodes they test (eager indirect selection)', () => {
  const tests = names(project, 'stg_customers', undefined, true).filter((n) => n !== 'stg_customers');
  assert.ok(tests.some((n) => n.startsWith('unique_stg_customers_customer_id')));
  assert.ok(
    tests.some((n) => n.startsWith('relationships_stg_orders')),
    'relationships tests hang off both ends',
  );
  assert.ok(!tests.some((n) => n.startsWith('unique_stg_orders_order_id')));
});

test('a criterion that matches nothing is a warning with a suggestion', () => {
  const s = selectNodes(project, { select: 'stg_order' });
  assert.equal(s.ids.length, 0);
  assert.match(s.warnings[0]!, /'stg_order' matches no node\. Did you mean 'stg_orders'\?/);
  assert.throws(() => selectNodes(project, { select: 'colour:red' }), /selector method 'colour:' is not known/);
});

test('state:modified selects what changed since a previous manifest (SQL or config), new nodes included; + adds descendants', () => {
  const base = {
    'pipeline.yml': 'name: demo\nmodels:\n  demo:\n    +materialized: view\n',
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select * from {{ ref('a') }}",
    'models/c.sql': "select * from {{ ref('b') }}",
    'models/d.sql': 'select 2 as id',
  };
  const dirA = writeProject(base);
  const before = buildManifest(readProject(dirA, readConfig(dirA)));
  const dirB = writeProject({
    ...base,
    'models/b.sql': "select id, 1 as x from {{ ref('a') }}",
    'models/d.sql': "{{ config(materialized='table') }}select 2 as id",
    'models/e.sql': 'select 3 as id',
  });
  const after = readProject(dirB, readConfig(dirB));
  const pick = (select: string) =>
    selectNodes(after, { select, state: before, indirect: 'none' })
      .ids.map((id) => id.split('.').pop())
      .sort();
  assert.deepEqual(pick('state:modified'), ['b', 'd', 'e']);
  assert.deepEqual(pick('state:modified+'), ['b', 'c', 'd', 'e']);
  assert.deepEqual(pick('state:new'), ['e']);
  assert.throws(
    () => selectNodes(after, { select: 'state:modified' }),
    (e: unknown) => e instanceof UsageError && /needs --state DIR/.test(e.message),
  );
});
