/**
 * Snapshots are configured as in dbt: by the `snapshots:` tree of the project file (not the
 * `models:` one), matched against dbt's snapshot fqn, which holds the file's name as well as the
 * snapshot's (a YAML snapshot's holds no file name); a path of that tree matching no snapshot is
 * warned about.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
import type { ModelNode } from '../../../actions/transform/project/types.ts';
import { BASIC_CONFIG, projectOf } from '../../helpers/temp-project.ts';

const BLOCK = (name: string) =>
  `{% snapshot ${name} %}{{ config(unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('src') }}{% endsnapshot %}`;

test("the snapshots: tree configures snapshots by dbt's fqn (folder, file, snapshot); the models: tree does not", () => {
  const p = projectOf({
    'pipeline.yml': `${BASIC_CONFIG}models:
  demo:
    +tags: [model_tree]
snapshots:
  demo:
    +schema: history
    rooms:
      snap_a:
        +tags: [from_file_and_name]
    yearly:
      +hard_deletes: invalidate
      +target_schema: archive
    nothing_here:
      +tags: [x]
`,
    'models/src.sql': 'select 1 as id',
    'snapshots/rooms.sql': `${BLOCK('snap_a')}\n${BLOCK('snap_b')}`,
    'snapshots/yearly/old.sql': BLOCK('snap_old'),
    'models/snaps.yml': `version: 2
snapshots:
  - name: snap_yaml
    relation: ref('src')
    config: {unique_key: id, strategy: check, check_cols: all}
`,
  });
  const snap = (name: string) => p.nodes.get(`snapshot.demo.${name}`) as ModelNode;
  assert.deepEqual(snap('snap_a').fqn, ['demo', 'rooms', 'snap_a']);
  assert.deepEqual(snap('snap_old').fqn, ['demo', 'yearly', 'old', 'snap_old']);
  assert.deepEqual(snap('snap_yaml').fqn, ['demo', 'snap_yaml']);
  assert.deepEqual(snap('snap_a').tags, ['from_file_and_name']);
  assert.deepEqual(snap('snap_b').tags, [], "the models: tree's tags do not reach snapshots");
  assert.deepEqual((p.nodes.get('model.demo.src') as ModelNode).tags, ['model_tree']);
  assert.equal(snap('snap_b').schema, 'history');
  assert.equal(snap('snap_old').schema, 'archive', 'target_schema (legacy) from the tree');
  assert.equal(snap('snap_old').config.hard_deletes, 'invalidate');
  const warnings = runtimeOf(p).warnings.map((w) => w.message);
  assert.ok(
    warnings.some((m) => m.startsWith("'nothing_here' matches no folder or snapshot of the project (no snapshot path demo.nothing_here)")),
    warnings.join('\n'),
  );
});
