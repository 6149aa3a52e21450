/**
 * Parsers for option values. Each throws a UsageError that names the option, the value and what
 * is expected, so a malformed value gives one clear line and exit 2.
 */
import { UsageError } from '../../actions/platform/errors.ts';

export function parseDate(option: string, value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  const valid = m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!valid) throw new UsageError(`--${option} '${value}' is not a date: expected YYYYMMDD, for example 20260205`);
  return value;
}

function isRealDate(y: number, mo: number, d: number): boolean {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && y >= 1970;
}

export function parsePositiveNumber(option: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw new UsageError(
      `--${option} '${value}' is not valid: expected a number greater than 0${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}`,
    );
  }
  return n;
}

export function parseInteger(option: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(`--${option} '${value}' is not valid: expected a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseIsoTime(option: string, value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(d.getTime())) {
    throw new UsageError(`--${option} '${value}' is not an ISO time: expected e.g. 2026-02-05T01:40:00Z`);
  }
  return d;
}

export function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${option} '${value}' is not one of: ${choices.join(', ')}`);
  }
  return value as T;
}
