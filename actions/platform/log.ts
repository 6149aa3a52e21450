/**
 * Logging for long batch work: stage start/end lines with durations, and progress that is an
 * updating bar on a terminal and a plain line every few seconds elsewhere (GitHub Actions logs).
 * The engine receives a Logger; only entry points create one bound to a real stream.
 */
import { redact } from './secrets.ts';
import { createProgress, type Progress, type ProgressOptions, type Sink } from './progress.ts';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Debug lines are printed only when the logger is verbose. */
  debug(message: string): void;
  /** Runs `fn` between a start line and an end line with the duration (or the failure). */
  stage<T>(name: string, fn: () => Promise<T>): Promise<T>;
  progress(options: ProgressOptions): Progress;
}

export type { Sink };

export interface LoggerOptions {
  verbose?: boolean;
  /** Seconds between plain progress lines when not a TTY. Default 5. */
  progressIntervalSeconds?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Math.round(s - m * 60)
    .toString()
    .padStart(2, '0')}s`;
}

export function createLogger(sink: Sink, options: LoggerOptions = {}): Logger {
  const now = options.now ?? Date.now;
  const line = (text: string) => sink.write(`${redact(text)}\n`);
  const logger: Logger = {
    info: (m) => line(m),
    warn: (m) => line(`warning: ${m}`),
    error: (m) => line(`error: ${m}`),
    debug: (m) => {
      if (options.verbose) line(`  ${m}`);
    },
    async stage(name, fn) {
      const start = now();
      line(`▶ ${name}`);
      try {
        const result = await fn();
        line(`✔ ${name} (${formatDuration(now() - start)})`);
        return result;
      } catch (err) {
        line(`✖ ${name} failed after ${formatDuration(now() - start)}`);
        throw err;
      }
    },
    progress: (p) => createProgress(sink, p, { intervalMs: (options.progressIntervalSeconds ?? 5) * 1000, now }),
  };
  return logger;
}

/** A logger that keeps its lines in memory: for tests and for embedding. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const sink: Sink = {
    write(text) {
      lines.push(...text.split('\n').filter((l) => l !== ''));
    },
    isTTY: false,
  };
  return Object.assign(createLogger(sink, { verbose: true, progressIntervalSeconds: 3600 }), { lines });
}

/** A logger that prints nothing. */
export const silentLogger: Logger = createLogger({ write: () => {} }, { progressIntervalSeconds: 3600 });
