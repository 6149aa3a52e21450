/** dbt snapshots are not built by this engine yet: a project with snapshots/ gets a warning, never silence. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
import { projectOf } from '../../helpers/temp-project.ts';

test('snapshot files in snapshots/ are named in a warning', () => {
  const p = projectOf({ 'models/a.sql': 'select 1 as id', 'snapshots/tenants.sql': '{% snapshot tenants %}select 1{% endsnapshot %}' });
  const warning = runtimeOf(p).warnings.find((w) => /snapshot/.test(w.message));
  assert.match(warning?.message ?? '', /snapshots\/tenants\.sql\) are not built: this engine does not run dbt snapshots yet/);
});
