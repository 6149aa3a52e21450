/**
 * Every input declared by every stage action reaches the stage with its value, run the way the
 * runner runs it (the workflow harness: a workflow step `uses: ./actions/<stage>` with every input
 * set). The stage echoes each input it reads (`::debug::input NAME=VALUE`, action-inputs.ts), so
 * the check sees what the stage's code received, not what was put in the environment.
 *
 * And the check can fail: the same action run the old way, a composite step whose run line is
 * `npx --no-install tsx main.ts`, loses every input whose name has a hyphen, because npx starts tsx
 * through /bin/sh, which is dash, and dash drops such variables.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from '../helpers/cli.ts';
import { loadAction } from './harness/definitions.ts';
import { createRepo, removeRepo, runJob, type JobResult } from './harness/harness.ts';
import type { HarnessRepo } from './harness/harness-types.ts';
import { STAGES } from '../../scripts/build-actions.ts';

const SECRET = new Set(['database-password', 'database-url', 'github-token']);

/** A value each input accepts, distinct enough to be recognised. */
const VALUES: Record<string, string> = {
  dump: 'probe/gghouse_20260205.sql',
  date: '20260205',
  select: 'gold.probe_model+',
  exclude: 'silver.probe_excluded',
  state: 'probe-state',
  'full-refresh': 'false',
  'dry-run': 'true',
  'with-routines': 'false',
  deps: 'false',
  'wait-lock': 'false',
  publish: 'false',
  threads: '3',
  vars: '{probe: 1}',
  schema: 'probe_schema',
  action: 'status',
  to: '2026-02-05T01:00:00Z',
  latest: 'false',
  cluster: 'probe-cluster',
  cutover: 'false',
  'accept-loss': 'backtrack-window',
  'old-cluster': 'keep',
  'read-only-parameter-group': 'probe-read-only',
  'keep-schedule-paused': 'false',
  'time-limit-minutes': '42',
  'daily-workflow': 'probe-daily.yml',
  confirm: 'not-apply',
  'archive-to': 's3://probe-bucket/archive/',
  'compare-state': 'probe-state',
  'merge-steps': 'false',
  'failure-issue': 'off',
  'github-token': 'ghs_probetoken123',
  'project-dir': '.',
  'target-dir': 'target-probe',
  'schema-prefix': 't_probe_',
  verbose: 'true',
  'database-url': 'mysql://probe:probe-pw@127.0.0.1:1/probe_db',
  'database-host': '127.0.0.1',
  'database-port': '3307',
  'database-user': 'probe_user',
  'database-name': 'probe_db',
  'database-auth': 'password',
  'database-password': 'probe-password-123',
  'aws-region': 'eu-west-3',
};

const dir = mkdtempSync(join(tmpdir(), 'action-inputs-'));
const repos: HarnessRepo[] = [];
after(() => {
  for (const repo of repos) removeRepo(repo);
  rmSync(dir, { recursive: true, force: true });
});

/** A repository with the project's actions and one workflow calling `uses` with every input of `stage`. */
function repoWith(stage: string, actionDir: string): { repo: ReturnType<typeof createRepo>; inputs: Record<string, string> } {
  const src = join(dir, `${stage}-${Math.random().toString(36).slice(2)}`);
  for (const d of ['actions', 'scripts']) cpSync(join(ROOT, d), join(src, d), { recursive: true });
  for (const f of ['package.json', 'pipeline.yml']) cpSync(join(ROOT, f), join(src, f));
  if (actionDir !== `actions/${stage}`) cpSync(join(ROOT, 'actions', stage), join(src, actionDir), { recursive: true });
  const def = loadAction(join(ROOT, 'actions', stage));
  const inputs: Record<string, string> = {};
  for (const i of def.template.inputs ?? []) {
    assert.ok(i.id in VALUES, `action ${stage}: no probe value for its input '${i.id}' (add one to VALUES)`);
    inputs[i.id] = VALUES[i.id]!;
  }
  const workflow = {
    name: 'inputs',
    on: { workflow_dispatch: null },
    jobs: {
      probe: {
        'runs-on': 'ubuntu-latest',
        steps: [
          { uses: 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8', with: { 'persist-credentials': false } },
          { run: 'npm ci --no-audit --no-fund' },
          { id: 'stage', uses: `./${actionDir}`, with: inputs },
        ],
      },
    },
  };
  mkdirSync(join(src, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(src, '.github', 'workflows', 'inputs.yml'), stringify(workflow));
  const repo = createRepo();
  repo.sourceDir = src;
  repos.push(repo);
  return { repo, inputs };
}

async function runWithEveryInput(stage: string, actionDir = `actions/${stage}`): Promise<{ r: JobResult; inputs: Record<string, string> }> {
  const { repo, inputs } = repoWith(stage, actionDir);
  const r = await runJob(repo, 'inputs.yml', 'probe', {
    event: { name: 'workflow_dispatch', payload: { inputs: {} }, inputs: {} },
    machineEnv: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' },
  });
  return { r, inputs };
}

/** Inputs whose value the stage did not receive: name → what it read instead. */
function missing(r: JobResult, inputs: Record<string, string>): Record<string, string> {
  const log = r.step('stage').log;
  const seen = new Map<string, string>();
  for (const m of log.matchAll(/^::debug::input ([\w-]+)=(.*)$/gm)) seen.set(m[1]!, m[2]!);
  const wrong: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs)) {
    const got = seen.get(name);
    const expected = SECRET.has(name) ? '***' : JSON.stringify(value);
    if (got !== expected) wrong[name] = got ?? '(never read)';
  }
  return wrong;
}

for (const stage of STAGES) {
  test(`action ${stage}: every declared input reaches the stage with its value`, async () => {
    const { r, inputs } = await runWithEveryInput(stage);
    assert.deepEqual(missing(r, inputs), {}, r.step('stage').log.slice(0, 4000));
    for (const secret of SECRET) if (secret in inputs) assert.ok(!r.log.includes(VALUES[secret]!), `${secret} is masked in the log`);
  });
}

test('the old composite action (npx --no-install tsx main.ts) loses every hyphenated input: the check above would fail', async () => {
  const stage = 'load';
  const actionDir = 'actions/load-composite';
  const { repo, inputs } = repoWith(stage, actionDir);
  const file = join(repo.sourceDir, actionDir, 'action.yml');
  const def = loadAction(join(ROOT, 'actions', stage));
  const text = readFileSync(file, 'utf8').replace(/\nruns:\n[\s\S]*$/, '\n');
  const env = Object.fromEntries((def.template.inputs ?? []).map((i) => [`INPUT_${i.id.toUpperCase()}`, `\${{ inputs.${i.id} }}`]));
  // main.ts imports ../github/...: the copy sits beside the other actions, as the original did.
  writeFileSync(
    file,
    `${text}${stringify({ runs: { using: 'composite', steps: [{ id: 'run', shell: 'bash', env, run: 'npx --no-install tsx "$GITHUB_ACTION_PATH/main.ts"' }] } })}`,
  );
  const r = await runJob(repo, 'inputs.yml', 'probe', {
    event: { name: 'workflow_dispatch', payload: { inputs: {} }, inputs: {} },
    machineEnv: { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' },
  });
  const lost = missing(r, inputs);
  if (process.env.HARNESS_DEBUG) console.log(r.log);
  const hyphenated = Object.keys(inputs).filter((n) => n.includes('-'));
  assert.deepEqual(Object.keys(lost).sort(), hyphenated.sort(), JSON.stringify(lost));
  for (const name of hyphenated) assert.equal(lost[name], '""', `${name} arrives empty`);
});
