import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, validateConfig } from '../../actions/platform/config.ts';
import { ConfigError } from '../../actions/platform/errors.ts';
import { parseYaml } from '../../actions/platform/yaml-source.ts';
import { runPipelineInProcess, ROOT } from '../helpers/cli.ts';

function projectWith(text: string, name = 'pipeline.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, name), text);
  return dir;
}

test("the repository's own pipeline.yml is valid", () => {
  const c = readConfig(ROOT);
  assert.equal(c.name, 'tokyobeta');
  assert.equal(c.staging.schema, 'staging');
  assert.deepEqual(c.testPaths, ['tests/data']);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.staging));
});

test('a YAML syntax error names the file and line', () => {
  const dir = projectWith('name: x\nstaging:\n  schema: [unclosed\n');
  assert.throws(
    () => readConfig(dir),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.problems[0]!.location!.file, /pipeline\.yml$/);
      assert.ok(err.problems[0]!.location!.line! >= 3);
      assert.match(err.message, /YAML syntax error/);
      return true;
    },
  );
});

test('every wrong field is reported at once with its line, path and what is expected', () => {
  const src = parseYaml(
    'name: tokyobeta\nstaging:\n  schema: stag-ing\n  threads: 0\n  colour: blue\nmodel-paths: models\n',
    '/p/pipeline.yml',
  );
  const { problems } = validateConfig(src, 'pipeline');
  const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
  assert.equal(problems.length, 4, JSON.stringify(problems));
  assert.match(byPath['staging.schema']!.message, /letters, digits and underscores/);
  assert.equal(byPath['staging.schema']!.location!.line, 3);
  assert.match(byPath['staging.threads']!.message, /whole number from 1 to 64/);
  assert.equal(byPath['staging.threads']!.location!.line, 4);
  assert.match(byPath['staging.colour']!.message, /unknown field 'colour'. Known fields: schema, threads, dump/);
  assert.match(byPath['model-paths']!.message, /expected a list of directories/);
});

test('dbt_project.yml is read when there is no pipeline.yml, its dbt-only fields ignored', () => {
  const dir = projectWith("name: jaffle\nconfig-version: 2\nprofile: jaffle\nmodel-paths: ['models']\n", 'dbt_project.yml');
  const c = readConfig(dir);
  assert.equal(c.kind, 'dbt');
  assert.equal(c.schema, 'jaffle');
});

test('the CLI reports a broken pipeline.yml with file:line and exit 2', async () => {
  const dir = projectWith('name: x\nstaging:\n  threads: many\n');
  const r = await runPipelineInProcess(['seed', '--project-dir', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /pipeline\.yml:3:\d+: staging\.threads: expected a whole number from 1 to 64, got "many"/);
});

test('a missing project file says where it looked and what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const r = await runPipelineInProcess(['seed', '--project-dir', dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no pipeline\.yml or dbt_project\.yml in .*pass --project-dir DIR/);
});
