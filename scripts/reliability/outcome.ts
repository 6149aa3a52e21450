/**
 * What one reliability check tried and whether the pipeline's promises held. The quick tier
 * asserts on these; the long tier collects them into docs/reliability.md.
 */
export type Category =
  | 'kill -9'
  | 'KILL CONNECTION'
  | 'server restart'
  | 'disk full'
  | 'bad dump'
  | 'S3'
  | 'bad input'
  | 'untrusted dump'
  | 'secrets'
  | 'concurrency'
  | 'readers';

export interface Outcome {
  category: Category;
  name: string;
  /** False when the fault could not be injected (the run ended first); such a case proves nothing. */
  injected: boolean;
  /** Where the fault landed (the stage the run was in), when it is a fault. */
  stage?: string;
  exitCode: number | null;
  /** The run's first error line, as a user would read it. */
  errorLine?: string;
  /** What was verified, e.g. "published warehouse unchanged (24 tables)". */
  checks: string[];
  /** Every promise that did not hold; empty when all held. */
  problems: string[];
  /** Rows of published tables that changed or vanished unexpectedly. Must be 0. */
  rowsLost: number;
  ms: number;
  /** Extra figures (reader queries, refused statements...). */
  figures?: Record<string, number | string>;
}

export function held(o: Outcome): boolean {
  return o.problems.length === 0;
}

export function newOutcome(category: Category, name: string): Outcome {
  return { category, name, injected: true, exitCode: null, checks: [], problems: [], rowsLost: 0, ms: 0 };
}

/** The first `error:` line of a run's stderr (or its last line when none says error). */
export function firstErrorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => /^(error|internal error)/.test(l)) ?? lines.at(-1);
}

/** Problems common to every run that should fail cleanly: exit 1, an error line, no stack trace. */
export function checkCleanFailure(o: Outcome, exit: { code: number | null; stderr: string }, expectedCode = 1): void {
  o.exitCode = exit.code;
  o.errorLine = firstErrorLine(exit.stderr);
  if (exit.code !== expectedCode) o.problems.push(`exit ${exit.code}, expected ${expectedCode}`);
  if (/internal error/.test(exit.stderr)) o.problems.push('an internal error (a bug) instead of an explained failure');
  if (/\n\s+at .+:\d+:\d+\)?\n/.test(exit.stderr)) o.problems.push('a stack trace on stderr');
  if (!/^error: /m.test(exit.stderr)) o.problems.push('no "error: ..." line on stderr');
}
