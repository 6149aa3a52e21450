/**
 * Runs an action's main.ts the way the runner does: a child process with an INPUT_* variable for
 * every input of its action.yml (the given value, else the declared default, as the runner fills
 * them), and fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files that are read back afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli.ts';

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionDef {
  inputs: Record<string, { default?: string; required?: boolean; description?: string }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id?: string; run?: string; shell?: string; env?: Record<string, string>; uses?: string }> };
}

export function readAction(name: string): ActionDef {
  return parse(readFileSync(join(ROOT, 'actions', name, 'action.yml'), 'utf8')) as ActionDef;
}

/** The runner's GITHUB_OUTPUT format: `name<<DELIM`, the value's lines, `DELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i]!);
      out[m[1]!] = value.join('\n');
    } else if (lines[i]!.includes('=')) {
      const [k, ...v] = lines[i]!.split('=');
      out[k!] = v.join('=');
    }
  }
  return out;
}

export async function runAction(
  name: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
): Promise<ActionRun> {
  const def = readAction(name);
  for (const key of Object.keys(inputs)) {
    if (!(key in def.inputs)) throw new Error(`action ${name} has no input '${key}'`);
  }
  const dir = mkdtempSync(join(tmpdir(), `action-${name}-`));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputEnv: Record<string, string> = {};
  // The same mapping the composite step's env: block does, from the action.yml itself.
  const stepEnv = def.runs.steps[0]!.env ?? {};
  for (const [envName, expr] of Object.entries(stepEnv)) {
    const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(expr);
    if (m) inputEnv[envName] = inputs[m[1]!] ?? def.inputs[m[1]!]?.default ?? '';
  }
  // `npx tsx main.ts` in the runner; here node with tsx as a loader: the same code, one process less.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'actions', name, 'main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: process.env.DATABASE_URL,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ROOT,
      GITHUB_ACTION_PATH: join(ROOT, 'actions', name),
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...inputEnv,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr, outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8') };
}
