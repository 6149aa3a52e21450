/**
 * Every folder key dbt documents for dbt_project.yml is honoured or warned about, never silently
 * ignored: snapshot-paths (SQL snapshot files and snapshot property files, default `snapshots`),
 * docs-paths (default: every resource path), target-path (deprecated by dbt, still honoured);
 * asset-paths, clean-targets and log-path are warned about; an absolute path, or snapshots sharing
 * the models' folder, is refused.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readConfig, validateConfig, type PipelineConfig } from '../../../actions/platform/config.ts';
import { ConfigError } from '../../../actions/platform/errors.ts';
import { parseYaml } from '../../../actions/platform/yaml-source.ts';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import type { ModelNode } from '../../../actions/transform/project/types.ts';
import { runPipelineInProcess } from '../../helpers/cli.ts';
import { writeProject } from '../../helpers/temp-project.ts';

const DBT = "name: shop\nconfig-version: 2\nprofile: shop\nmodel-paths: ['models']\n";
const BLOCK = (name: string) =>
  `{% snapshot ${name} %}{{ config(unique_key='id', strategy='check', check_cols='all') }}select * from {{ ref('src') }}{% endsnapshot %}`;

const configOf = (text: string) => validateConfig(parseYaml(text, '/p/dbt_project.yml'), 'dbt');
const readDbt = (files: Record<string, string>) => {
  const dir = writeProject(files);
  return readProject(dir, readConfig(dir));
};

test('every folder key dbt documents is honoured (read into the config) or warned about, none silently ignored', () => {
  const base = configOf(DBT).config!;
  const honoured: Record<string, (c: PipelineConfig) => unknown> = {
    'model-paths': (c) => c.modelPaths,
    'seed-paths': (c) => c.seedPaths,
    'test-paths': (c) => c.testPaths,
    'analysis-paths': (c) => c.analysisPaths,
    'macro-paths': (c) => c.macroPaths,
    'snapshot-paths': (c) => c.snapshotPaths,
    'docs-paths': (c) => c.docsPaths,
    'packages-install-path': (c) => c.packagesInstallPath,
    'target-path': (c) => c.targetPath,
  };
  const warned = ['asset-paths', 'clean-targets', 'log-path'];
  for (const key of [...Object.keys(honoured), ...warned]) {
    const value = key.endsWith('-path') ? 'elsewhere' : '[elsewhere]';
    const { config, problems } = configOf(`${DBT.replace(/^model-paths:.*\n/m, '')}${key}: ${value}\n`);
    assert.deepEqual(problems, [], key);
    const read = honoured[key];
    if (read) {
      assert.notDeepEqual(read(config!), read(base), `${key} changes what is read`);
      assert.match(JSON.stringify(read(config!)), /elsewhere/, key);
    }
    const warning = config!.warnings.find((w) => w.path === key);
    if (warned.includes(key)) {
      assert.match(warning?.message ?? '', new RegExp(`^'${key}' is not used: .* To fix this, remove '${key}'`), key);
      assert.equal(warning?.location?.line, 4, key);
    } else if (key !== 'target-path') assert.equal(warning, undefined, key);
  }
});

test('snapshot-paths: snapshot files and snapshot property files are read there (default snapshots/), only there', () => {
  const p = readDbt({
    'dbt_project.yml': `${DBT}snapshot-paths: ['history']\n`,
    'models/src.sql': 'select 1 as id',
    'history/rooms/rooms.sql': BLOCK('snap_rooms'),
    'history/props.yml': `version: 2
snapshots:
  - name: snap_rooms
    description: Every version of a room.
    columns:
      - name: id
        data_tests: [not_null]
  - name: snap_src
    relation: ref('src')
    config: {unique_key: id, strategy: check, check_cols: all}
`,
    'snapshots/ignored.sql': BLOCK('snap_not_read'),
  });
  const rooms = p.nodes.get('snapshot.shop.snap_rooms') as ModelNode | undefined;
  assert.equal(rooms?.config.materialized, 'snapshot');
  assert.deepEqual(rooms?.fqn, ['shop', 'rooms', 'rooms', 'snap_rooms'], 'the fqn is relative to the snapshot path');
  assert.equal(rooms?.original_file_path, 'history/rooms/rooms.sql');
  assert.equal(rooms?.description, 'Every version of a room.');
  const test = [...p.nodes.values()].find((n) => n.unique_id.startsWith('test.shop.not_null_snap_rooms_id'));
  assert.equal(
    test?.resource_type === 'test' && test.attached_node,
    'snapshot.shop.snap_rooms',
    "the property file's test on the snapshot's column",
  );
  assert.ok(p.nodes.has('snapshot.shop.snap_src'), 'a YAML snapshot in snapshot-paths');
  assert.equal(p.nodes.has('snapshot.shop.snap_not_read'), false, 'snapshots/ is not read when snapshot-paths names other folders');

  const byDefault = readDbt({ 'dbt_project.yml': DBT, 'models/src.sql': 'select 1 as id', 'snapshots/a.sql': BLOCK('snap_a') });
  assert.ok(byDefault.nodes.has('snapshot.shop.snap_a'));
});

test('properties naming a snapshot that does not exist are a warning, with the snapshots that do', () => {
  const p = readDbt({
    'dbt_project.yml': DBT,
    'models/src.sql': 'select 1 as id',
    'snapshots/a.sql': BLOCK('snap_rooms'),
    'snapshots/props.yml': 'version: 2\nsnapshots:\n  - name: snap_room\n    description: typo\n',
  });
  const w = runtimeOf(p).warnings.find((x) => /snap_room'/.test(x.message));
  assert.match(w?.message ?? '', /^properties for snapshot 'snap_room', but the project has no snapshot of that name; .*snap_rooms/);
  assert.equal(w?.location?.file, 'snapshots/props.yml');
});

test('snapshot-paths sharing a folder with model-paths, and an absolute path, are refused with what to do', () => {
  const { problems } = configOf(`${DBT}snapshot-paths: ['models/history']\nseed-paths: ['/srv/seeds']\n`);
  assert.deepEqual(
    problems.map((p) => p.path),
    ['seed-paths.0', 'snapshot-paths.0'],
  );
  assert.match(problems[0]!.message, /absolute path '\/srv\/seeds'. To fix this, write it relative to the project's directory/);
  assert.match(
    problems[1]!.message,
    /'models\/history' is also in model-paths \('models'\).* To fix this, keep snapshot files in a folder of their own/,
  );
  assert.throws(() => readDbt({ 'dbt_project.yml': `${DBT}snapshot-paths: ['models']\n` }), ConfigError);
});

test('docs-paths: by default {% docs %} blocks are found in every resource path; when set, only there', () => {
  const files = {
    'models/src.sql': 'select 1 as id',
    'models/src.yml': 'version: 2\nmodels:\n  - name: src\n    description: "{{ doc(\'in_macros\') }}"\n',
    'macros/docs.md': '{% docs in_macros %}Written beside the macros.{% enddocs %}',
    'documentation/more.md': '{% docs elsewhere %}In docs-paths only.{% enddocs %}',
  };
  const byDefault = readDbt({ 'dbt_project.yml': DBT, ...files });
  assert.equal(byDefault.nodes.get('model.shop.src')?.description, 'Written beside the macros.');
  assert.equal(byDefault.docs.has('doc.shop.elsewhere'), false);

  assert.throws(
    () => readDbt({ 'dbt_project.yml': `${DBT}docs-paths: ['documentation']\n`, ...files }),
    (err: unknown) => err instanceof Error && /in_macros/.test(err.message),
    'macros/ is no longer searched: the doc() is unknown',
  );
  const only = readDbt({
    'dbt_project.yml': `${DBT}docs-paths: ['documentation']\n`,
    ...files,
    'models/src.yml': 'version: 2\nmodels:\n  - name: src\n    description: "{{ doc(\'elsewhere\') }}"\n',
  });
  assert.equal(only.nodes.get('model.shop.src')?.description, 'In docs-paths only.');
});

test("target-path: artifacts go there (dbt's deprecation warned about) unless --target-dir is given", async () => {
  const dir = writeProject({
    'dbt_project.yml': `${DBT}target-path: build/artifacts\nclean-targets: [build, dbt_packages]\n`,
    'models/src.sql': 'select 1 as id',
  });
  const r = await runPipelineInProcess(['compile', '--project-dir', dir]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(join(dir, 'build', 'artifacts', 'manifest.json')));
  assert.equal(existsSync(join(dir, 'target')), false);
  assert.match(r.stderr, /'target-path' is deprecated by dbt \(1\.5\+\); it is honoured/);
  assert.match(r.stderr, /'clean-targets' is not used/);

  const flag = await runPipelineInProcess(['compile', '--project-dir', dir, '--target-dir', 'out']);
  assert.equal(flag.code, 0, flag.stdout + flag.stderr);
  assert.ok(existsSync(join(dir, 'out', 'manifest.json')));
});
