/** Runs the CLI the way a user does: a child process of `npx tsx scripts/pipeline.ts`. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runCli } from '../../scripts/cli/main.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PIPELINE = join(ROOT, 'scripts', 'pipeline.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runPipeline(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; onStderr?: (chunk: string) => void } = {},
): Promise<CliResult> & { child: import('node:child_process').ChildProcess } {
  const child = spawn(TSX, [PIPELINE, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => {
    stderr += d;
    options.onStderr?.(String(d));
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(done, { child });
}

/** Runs the CLI in this process with captured output: fast, for the many misuse cases. */
export async function runPipelineInProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = ROOT,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { DATABASE_URL: process.env.DATABASE_URL, ...env },
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    cwd,
  });
  return { code, stdout, stderr };
}
