/**
 * The pipeline's small error vocabulary. Only the outermost entry (the CLI, an action's main.ts)
 * turns these into exit codes: 2 for a user or configuration error, 1 for a pipeline failure,
 * 1 (with "internal error") for a bug.
 */

/** Where a problem was found: a file and, when known, a line and column. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

/** One problem in a file the user wrote (pipeline.yml, a model, a CSV): what, where, what to do. */
export interface Problem {
  message: string;
  location?: Location;
  /** Dotted path of the offending field, e.g. `staging.threads`. */
  path?: string;
}

export function formatLocation(loc: Location): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined ? `${loc.file}:${loc.line}` : `${loc.file}:${loc.line}:${loc.column}`;
}

export function formatProblem(p: Problem): string {
  const where = p.location ? `${formatLocation(p.location)}: ` : '';
  const path = p.path ? `${p.path}: ` : '';
  return `${where}${path}${p.message}`;
}

/** The user asked for something wrong (CLI misuse, bad configuration, a project error). Exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2 as const;
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
    this.name = 'UsageError';
  }
}

/** A configuration or project file is wrong; carries every problem found, not only the first. */
export class ConfigError extends UsageError {
  readonly problems: Problem[];
  constructor(problems: Problem[], summary?: string) {
    super(summary ?? problems.map(formatProblem).join('\n'));
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

/** The pipeline ran and failed: a stage error, a refused dump, an error-severity test. Exit 1. */
export class PipelineError extends Error {
  readonly exitCode = 1 as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineError';
  }
}

export function exitCodeOf(err: unknown): 1 | 2 {
  if (err instanceof UsageError) return 2;
  return 1;
}

/** True for errors we expect and explain (no stack trace); false for bugs. */
export function isExpected(err: unknown): err is UsageError | PipelineError {
  return err instanceof UsageError || err instanceof PipelineError;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
