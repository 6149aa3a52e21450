/**
 * Test configs that decide a test's status from its failing-row count, as dbt does:
 * `severity`, `warn_if`, `error_if` (defaults `!=0`). With severity `error`, a count meeting
 * `error_if` fails the test; otherwise a count meeting `warn_if` warns. With severity `warn`,
 * `error_if` is not consulted. https://docs.getdbt.com/reference/resource-configs/severity
 */

export type Severity = 'error' | 'warn';
export type TestStatus = 'pass' | 'warn' | 'fail';

const OPERATORS = ['>=', '<=', '!=', '<>', '==', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];

export interface Threshold {
  readonly op: Operator;
  readonly value: number;
  /** As written, for messages. */
  readonly text: string;
}

export const DEFAULT_THRESHOLD = '!=0';

/** Parses `>10`, `!= 0`, `>=5`...; returns a message when the text is not a threshold. */
export function parseThreshold(text: unknown): Threshold | string {
  const s = String(text ?? '').trim();
  const m = /^(>=|<=|!=|<>|==|>|<|=)\s*(\d+)$/.exec(s);
  if (!m) return `'${s}' is not a threshold: expected an operator and a whole number, such as >10, !=0 or >=5`;
  return Object.freeze({ op: m[1] as Operator, value: Number(m[2]), text: s });
}

export function meets(t: Threshold, n: number): boolean {
  switch (t.op) {
    case '>':
      return n > t.value;
    case '>=':
      return n >= t.value;
    case '<':
      return n < t.value;
    case '<=':
      return n <= t.value;
    case '=':
    case '==':
      return n === t.value;
    case '!=':
    case '<>':
      return n !== t.value;
  }
}

export interface StatusConfig {
  severity: Severity;
  warnIf: Threshold;
  errorIf: Threshold;
}

export function testStatus(failures: number, c: StatusConfig): TestStatus {
  if (c.severity === 'error' && meets(c.errorIf, failures)) return 'fail';
  if (meets(c.warnIf, failures)) return 'warn';
  return 'pass';
}
