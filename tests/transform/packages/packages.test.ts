import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../../actions/platform/config.ts';
import { ConfigError, PipelineError } from '../../../actions/platform/errors.ts';
import { installPackages, type PackageSources } from '../../../actions/transform/packages/install-packages.ts';
import { packagesHash, validatePackageSpecs } from '../../../actions/transform/packages/package-spec.ts';
import { pickVersion } from '../../../actions/transform/packages/version-range.ts';
import { compileNode } from '../../../actions/transform/project/compile.ts';
import { runtimeOf } from '../../../actions/transform/project/project-runtime.ts';
import { readProject } from '../../../actions/transform/project/read-project.ts';
import { makeRelation } from '../../../actions/transform/project/resolver.ts';
import type { ModelNode, TestNode } from '../../../actions/transform/project/types.ts';
import { parseYaml } from '../../../actions/platform/yaml-source.ts';
import { runPipelineInProcess } from '../../helpers/cli.ts';
import { writeProject } from '../../helpers/temp-project.ts';

/** No network here: a hub that answers from a table, and tarballs/git that are never reached. */
const offline: PackageSources = {
  hubVersions: async () => {
    throw new Error('getaddrinfo ENOTFOUND hub.getdbt.com');
  },
  fetchTarball: async () => {
    throw new Error('no network');
  },
  gitClone: async () => {
    throw new Error('no network');
  },
};
const resolver = { resolve: (n: { name: string }) => makeRelation('s', n.name) };

function packageAndProject(): string {
  return writeProject({
    'util_pkg/dbt_project.yml': 'name: util_pkg\nversion: "1.0"\nconfig-version: 2\nmacro-paths: [macros]\n',
    'util_pkg/macros/cents.sql': [
      "{% macro cents(col) %}{{ return(adapter.dispatch('cents', 'util_pkg')(col)) }}{% endmacro %}",
      '{% macro default__cents(col) %}({{ col }} / 100){% endmacro %}',
      '{% macro shout(x) %}{{ x | upper }}{% endmacro %}',
      '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}',
    ].join('\n'),
    'proj/dbt_project.yml':
      "name: proj\nconfig-version: 2\nprofile: x\ndispatch:\n  - macro_namespace: util_pkg\n    search_order: ['proj', 'util_pkg']\n",
    'proj/packages.yml': 'packages:\n  - local: ../util_pkg\n',
    'proj/macros/override.sql': '{% macro mysql__cents(col) %}round({{ col }} / 100, 2){% endmacro %}',
    'proj/models/orders.sql':
      "select {{ util_pkg.cents('amount') }} as a, '{{ util_pkg.shout('x') }}' as b, {{ dbt.dateadd('day', 1, 'd') }} as c",
    'proj/models/schema.yml':
      'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: a\n        tests:\n          - util_pkg.positive\n',
  });
}

test('deps installs a local package under its own name and writes package-lock.yml as dbt does', async () => {
  const root = packageAndProject();
  const project = join(root, 'proj');
  const logs: string[] = [];
  const installed = await installPackages(project, { sources: offline, log: (m) => logs.push(m) });
  assert.deepEqual(
    installed.map((p) => p.name),
    ['util_pkg'],
  );
  assert.ok(lstatSync(join(project, 'dbt_packages', 'util_pkg')).isSymbolicLink(), 'a local package is linked, as dbt does');
  const lock = parseYaml(readFileSync(join(project, 'package-lock.yml'), 'utf8'), 'lock').value as {
    packages: unknown[];
    sha1_hash: string;
  };
  assert.deepEqual(lock.packages, [{ local: '../util_pkg', name: 'util_pkg' }]);
  assert.equal(lock.sha1_hash, packagesHash(validatePackageSpecs(parseYaml('packages:\n  - local: ../util_pkg\n', 'p')).specs));
  // A second run uses the lock.
  await installPackages(project, { sources: offline, log: (m) => logs.push(m) });
  assert.ok(logs.some((l) => l.startsWith('using package-lock.yml')));
});

test('package macros work under their namespace, dispatch follows the search order, package generic tests run, dbt.* macros exist', async () => {
  const root = packageAndProject();
  const dir = join(root, 'proj');
  await installPackages(dir, { sources: offline, log: () => {} });
  const p = readProject(dir, readConfig(dir));
  const sql = compileNode(p, 'model.proj.orders', resolver);
  assert.match(sql, /select round\(amount \/ 100, 2\) as a, 'X' as b, date_add\(d, interval \(1\) day\) as c/);
  const test = [...p.nodes.values()].find((n): n is TestNode => n.resource_type === 'test')!;
  assert.deepEqual(test.test_metadata, { name: 'positive', namespace: 'util_pkg', kwargs: {} });
  assert.ok(p.macros.has('macro.util_pkg.test_positive'));
  assert.ok(p.macros.has('macro.dbt.mysql__dateadd'));
  assert.deepEqual([...p.nodes.get('model.proj.orders')!.depends_on.macros].sort(), [
    'macro.dbt.dateadd',
    'macro.dbt.mysql__dateadd',
    'macro.proj.mysql__cents',
    'macro.util_pkg.cents',
    'macro.util_pkg.shout',
  ]);
  assert.equal(runtimeOf(p).warnings.length, 0, JSON.stringify(runtimeOf(p).warnings));
});

test('deps with no packages.yml exits cleanly; an unreachable hub is one clear line; bad entries are every problem at once', async () => {
  const empty = writeProject({ 'dbt_project.yml': 'name: e\n' });
  assert.deepEqual(await installPackages(empty, { sources: offline, log: () => {} }), []);
  const hub = writeProject({
    'dbt_project.yml': 'name: h\n',
    'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0", "<2.0.0"]\n',
  });
  await assert.rejects(installPackages(hub, { sources: offline, log: () => {} }), (err: unknown) => {
    assert.ok(err instanceof PipelineError);
    assert.match(
      err.message,
      /^cannot reach the dbt package hub for dbt-labs\/dbt_utils: getaddrinfo ENOTFOUND hub.getdbt.com\. To fix this/,
    );
    assert.ok(!err.message.includes('\n'));
    return true;
  });
  const bad = writeProject({ 'dbt_project.yml': 'name: b\n', 'packages.yml': 'packages:\n  - package: a/b\n  - nothing: 1\n' });
  await assert.rejects(installPackages(bad, { sources: offline, log: () => {} }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(
      err.problems.map((p) => p.path),
      ['packages.0.version', 'packages.1'],
    );
    return true;
  });
  assert.ok(!existsSync(join(bad, 'dbt_packages')));
});

test('hub version ranges pick the highest version meeting every range; pre-releases only when asked', () => {
  const versions = ['0.9.0', '1.0.0', '1.1.1', '1.2.0-rc1', '2.0.0'];
  assert.equal(pickVersion(versions, ['>=1.0.0', '<2.0.0']), '1.1.1');
  assert.equal(pickVersion(versions, ['>=1.0.0', '<2.0.0', '<1.1.0']), '1.0.0');
  assert.equal(pickVersion(versions, ['1.2.0-rc1']), '1.2.0-rc1');
  assert.equal(pickVersion(versions, ['>3']), undefined);
});

test("a package's models and seeds are nodes of the project, configured by its own tree and then the root project's", () => {
  const root = writeProject({
    'pkg/dbt_project.yml': 'name: pkg\nmodels:\n  pkg:\n    +materialized: table\n    +tags: [from_pkg]\n',
    'pkg/models/pkg_model.sql': 'select 1 as x',
    'pkg/seeds/pkg_codes.csv': 'code\n1\n',
    'proj/dbt_project.yml': 'name: proj\nmodels:\n  pkg:\n    +schema: vendor\n    +tags: [from_root]\n',
    'proj/models/uses.sql': "select * from {{ ref('pkg_model') }} join {{ ref('pkg_codes') }} on true",
  });
  const dir = join(root, 'proj');
  const cfg = { ...readConfig(dir), packagesInstallPath: 'pkgs' };
  mkdirSync(join(dir, 'pkgs'));
  symlinkSync(join(root, 'pkg'), join(dir, 'pkgs', 'pkg'));
  const p = readProject(dir, cfg);
  const m = p.nodes.get('model.pkg.pkg_model') as ModelNode;
  assert.equal(m.package_name, 'pkg');
  assert.equal(m.config.materialized, 'table');
  assert.equal(m.schema, 'proj_vendor', "dbt's default naming: <target schema>_<custom>");
  assert.deepEqual(m.tags, ['from_pkg', 'from_root']);
  assert.ok(p.nodes.has('seed.pkg.pkg_codes'));
  assert.deepEqual([...p.nodes.get('model.proj.uses')!.depends_on.nodes].sort(), ['model.pkg.pkg_model', 'seed.pkg.pkg_codes']);
  assert.equal(runtimeOf(p).warnings.length, 0, JSON.stringify(runtimeOf(p).warnings));
});

test('pipeline deps: exit 0 with no packages.yml or an empty one; a local package installs through the CLI', async () => {
  const none = writeProject({ 'dbt_project.yml': 'name: n\n' });
  const r1 = await runPipelineInProcess(['deps', '--project-dir', none]);
  assert.equal(r1.code, 0, r1.stderr);
  assert.match(r1.stderr, /no packages\.yml or dependencies\.yml: nothing to install/);
  const empty = writeProject({ 'dbt_project.yml': 'name: e\n', 'dependencies.yml': 'packages: []\n' });
  assert.equal((await runPipelineInProcess(['deps', '--project-dir', empty])).code, 0);
  const root = packageAndProject();
  const r3 = await runPipelineInProcess(['deps', '--project-dir', join(root, 'proj')]);
  assert.equal(r3.code, 0, r3.stderr);
  assert.match(r3.stderr, /installed util_pkg into .*dbt_packages\/util_pkg/);
});
