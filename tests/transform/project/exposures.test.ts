/**
 * dbt's exposures: parsed from property files, in the manifest (valid shape, depends_on
 * resolved), in the graph so `+exposure:name` selects what one reads, and errors for what names
 * nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../../actions/platform/errors.ts';
import { buildManifest } from '../../../actions/transform/project/artifacts.ts';
import { selectNodes } from '../../../actions/transform/project/selection.ts';
import { projectOf } from '../../helpers/temp-project.ts';

const FILES = {
  'models/a.sql': 'select 1 as id',
  'models/b.sql': "select * from {{ ref('a') }}",
  'models/c.sql': 'select 2 as id',
  'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n',
  'models/exposures.yml': `version: 2
exposures:
  - name: weekly_kpis
    type: dashboard
    owner: {name: Analytics, email: analytics@example.com}
    url: https://bi.example.com/kpis
    depends_on: ["ref('b')", "source('raw', 'orders')"]
`,
};

test('an exposure is in the manifest with what it depends on, and +exposure:name selects its ancestors', () => {
  const p = projectOf(FILES);
  const m = buildManifest(p);
  const e = m.exposures['exposure.demo.weekly_kpis'] as { depends_on: { nodes: string[] }; owner: { email: string }; type: string };
  assert.deepEqual(e.depends_on.nodes, ['model.demo.b', 'source.demo.raw.orders']);
  assert.equal(e.owner.email, 'analytics@example.com');
  assert.equal(e.type, 'dashboard');
  assert.deepEqual(m.parent_map['exposure.demo.weekly_kpis'], ['model.demo.b', 'source.demo.raw.orders']);
  assert.ok(m.child_map['model.demo.b']?.includes('exposure.demo.weekly_kpis'));
  assert.deepEqual(selectNodes(p, { select: '+exposure:weekly_kpis' }).ids, ['model.demo.a', 'model.demo.b', 'source.demo.raw.orders']);
  assert.deepEqual(selectNodes(p, { select: 'exposure:weekly_kpis' }).ids, [], 'the exposure itself builds nothing');
});

test('an exposure that depends on nothing known, or has no owner, is a project error', () => {
  assert.throws(
    () =>
      projectOf({
        ...FILES,
        'models/exposures.yml': `version: 2
exposures:
  - name: broken
    type: dashboard
    owner: {name: A}
    depends_on: ["ref('nope')"]
  - name: ownerless
    type: notebook
`,
      }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /ref\('nope'\) names nothing in the project/.test(err.message) &&
      /'ownerless': owner: needs a name: or an email:/.test(err.message),
  );
});
