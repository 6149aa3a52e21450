/**
 * The files a runner gives each step (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY)
 * and how it reads them back afterwards, in the runner's own formats: `NAME=value` lines, or
 * `NAME<<DELIMITER` ... `DELIMITER` for values with newlines (what @actions/core writes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StepFiles {
  output: string;
  env: string;
  path: string;
  summary: string;
  state: string;
}

export function createStepFiles(dir: string, stepNumber: number): StepFiles {
  const files = {
    output: join(dir, `output_${stepNumber}`),
    env: join(dir, `env_${stepNumber}`),
    path: join(dir, `path_${stepNumber}`),
    summary: join(dir, `step_summary_${stepNumber}`),
    state: join(dir, `state_${stepNumber}`),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return files;
}

/** The runner's key-value file format; a malformed line fails the step as the runner does. */
export function parseKeyValueFile(text: string, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const value: string[] = [];
      for (;;) {
        i++;
        if (i >= lines.length) throw new Error(`${what}: matching delimiter not found '${delimiter}'`);
        if (lines[i]!.replace(/\r$/, '') === delimiter) break;
        value.push(lines[i]!);
      }
      out[name] = value.join('\n');
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    } else {
      throw new Error(`${what}: invalid format '${line}'`);
    }
  }
  return out;
}

export function readStepFiles(files: StepFiles): {
  outputs: Record<string, string>;
  env: Record<string, string>;
  paths: string[];
  summary: string;
} {
  return {
    outputs: parseKeyValueFile(readFileSync(files.output, 'utf8'), 'GITHUB_OUTPUT'),
    env: parseKeyValueFile(readFileSync(files.env, 'utf8'), 'GITHUB_ENV'),
    paths: readFileSync(files.path, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
    summary: readFileSync(files.summary, 'utf8'),
  };
}
