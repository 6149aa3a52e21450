/**
 * Runs one stage action as a workflow step, through the workflow harness (harness/): the runner's
 * rules for a JavaScript action (node on the committed bundle, an INPUT_<NAME> for every declared
 * input, the default when not given), its GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, in the project
 * itself as the workspace (the tests' fixtures and dumps are there).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from '../helpers/cli.ts';
import { loadAction } from './harness/definitions.ts';
import { createRepo, removeRepo, runJob } from './harness/harness.ts';

export interface ActionRun {
  code: number | null;
  /** The step's output: stdout and stderr, as the runner's log has them (secrets not yet masked). */
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export function declaredInputs(name: string): string[] {
  return (loadAction(join(ROOT, 'actions', name)).template.inputs ?? []).map((i) => i.id);
}

export async function runAction(
  name: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  const declared = declaredInputs(name);
  for (const key of Object.keys(inputs)) if (!declared.includes(key)) throw new Error(`action ${name} has no input '${key}'`);
  const src = mkdtempSync(join(tmpdir(), `action-${name}-`));
  mkdirSync(join(src, '.github', 'workflows'), { recursive: true });
  const workflow = {
    on: { workflow_dispatch: null },
    jobs: { step: { 'runs-on': 'ubuntu-latest', steps: [{ id: 'stage', uses: `./actions/${name}`, with: inputs }] } },
  };
  writeFileSync(join(src, '.github', 'workflows', 'step.yml'), stringify(workflow));
  const repo = createRepo();
  repo.sourceDir = src;
  const machineEnv = Object.fromEntries(
    Object.entries({ DATABASE_URL: process.env.DATABASE_URL, ...env }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const r = await runJob(repo, 'step.yml', 'step', {
    event: { name: 'workflow_dispatch', payload: { inputs: {} }, inputs: {} },
    workspace: ROOT,
    machineEnv,
  }).finally(() => {
    removeRepo(repo);
    rmSync(src, { recursive: true, force: true });
  });
  const step = r.step('stage');
  return { code: step.exitCode ?? null, stdout: step.rawLog, stderr: '', outputs: step.outputs, summary: r.summary };
}
