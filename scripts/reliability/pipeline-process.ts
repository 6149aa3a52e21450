/**
 * The pipeline as a real child process that the harness can kill -9 at a chosen moment. It runs
 * `node --import tsx scripts/pipeline.ts` directly, not through the `tsx` wrapper, because the
 * wrapper starts a second node process and a SIGKILL of the wrapper would leave that one running;
 * the child also leads its own process group, and the kill goes to the whole group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PIPELINE = join(ROOT, 'scripts', 'pipeline.ts');

export interface OutputLine {
  /** Milliseconds since the process started. */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface PipelineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: OutputLine[];
  ms: number;
}

export interface PipelineProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly startedAt: number;
  readonly lines: OutputLine[];
  /** Resolves with the first line (from now or already seen) that matches; undefined if the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<OutputLine | undefined>;
  /** kill -9 of the pipeline's whole process group. */
  killHard(): void;
  readonly done: Promise<PipelineExit>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  onLine?: (line: OutputLine) => void;
  /** The script to run instead of scripts/pipeline.ts (the harness's own tests use a stand-in). */
  script?: string;
}

export function startPipeline(args: string[], options: StartOptions = {}): PipelineProcess {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', options.script ?? PIPELINE, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: OutputLine[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (l: OutputLine | undefined) => void }> = [];
  let stdout = '';
  let stderr = '';
  const partial = { stdout: '', stderr: '' };
  const feed = (stream: 'stdout' | 'stderr', chunk: string) => {
    if (stream === 'stdout') stdout += chunk;
    else stderr += chunk;
    const text = partial[stream] + chunk;
    // Progress bars on a TTY redraw with \r; here output is a pipe, but split on both anyway.
    const parts = text.split(/\r?\n|\r/);
    partial[stream] = parts.pop() ?? '';
    for (const t of parts) {
      if (t === '') continue;
      const line: OutputLine = { at: Date.now() - startedAt, stream, text: t };
      lines.push(line);
      options.onLine?.(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.pattern.test(t)) {
          waiters[i]!.resolve(line);
          waiters.splice(i, 1);
        }
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => feed('stdout', d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => feed('stderr', d));
  const done = new Promise<PipelineExit>((resolve) => {
    child.on('close', (code, signal) => {
      for (const s of ['stdout', 'stderr'] as const) if (partial[s]) feed(s, '\n');
      for (const w of waiters.splice(0)) w.resolve(undefined);
      resolve({ code, signal, stdout, stderr, lines, ms: Date.now() - startedAt });
    });
  });
  return {
    child,
    pid: child.pid!,
    startedAt,
    lines,
    waitForLine(pattern, timeoutMs = 600_000) {
      const seen = lines.find((l) => pattern.test(l.text));
      if (seen) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(undefined);
      return new Promise((resolve) => {
        const w = { pattern, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
          resolve(undefined);
        }, timeoutMs).unref();
      });
    },
    killHard() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    },
    done,
  };
}

/** Runs the pipeline to its end. */
export function runToEnd(args: string[], options: StartOptions = {}): Promise<PipelineExit> {
  return startPipeline(args, options).done;
}

/** The stage being worked on when the process was at `ms`: the last `▶ name` not yet closed by `✔`/`✖`. */
export function stageAt(lines: OutputLine[], ms: number): string {
  const open: string[] = [];
  for (const l of lines) {
    if (l.at > ms) break;
    const start = /^▶ (.+)$/.exec(l.text);
    const end = /^[✔✖] (.+?)(?: \(| failed after|$)/.exec(l.text);
    // Stage names may carry a path (`load <file> into ...`): the first word names the stage.
    if (start) open.push(start[1]!.trim());
    else if (end) {
      const i = open.lastIndexOf(end[1]!.trim());
      if (i >= 0) open.splice(i, 1);
    }
  }
  return open.length
    ? open.map((n) => n.split(' ')[0]).join(' > ')
    : lines.some((l) => l.at <= ms && /^[✔✖] /.test(l.text))
      ? 'between stages'
      : 'start-up';
}

/** The error lines a run printed (`error: ...`), for the report. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^(error|internal error)/.test(l));
}
