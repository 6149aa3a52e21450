/**
 * Reading an action's inputs: the runner hands each one to node as INPUT_<NAME> (hyphens kept),
 * and `@actions/core.getInput` reads it. Every input read is echoed as a debug line
 * (`::debug::input NAME=VALUE`, secrets as ***; shown with step debug logging), so a run's log
 * says what the stage received, and the workflow harness checks that every input arrives.
 * A malformed input is a UsageError that names the input.
 */
import * as core from '@actions/core';
import { UsageError } from '../platform/errors.ts';
import { registerSecret } from '../platform/secrets.ts';

function readInput(name: string, secret = false): string {
  const v = core.getInput(name);
  if (secret && v) {
    core.setSecret(v);
    if (encodeURIComponent(v) !== v) core.setSecret(encodeURIComponent(v));
    registerSecret(v);
  }
  core.debug(`input ${name}=${secret && v ? '***' : JSON.stringify(v)}`);
  return v;
}

export function stringInput(name: string): string | undefined {
  const v = readInput(name);
  return v === '' ? undefined : v;
}

/** true/false (YAML 1.2 core schema, as core.getBooleanInput), with a default when empty. */
export function booleanInput(name: string, fallback: boolean): boolean {
  const v = readInput(name).toLowerCase();
  if (v === '') return fallback;
  if (['true', 'yes', 'on'].includes(v)) return true;
  if (['false', 'no', 'off'].includes(v)) return false;
  throw new UsageError(`input '${name}' is '${v}': expected true or false`);
}

export function choiceInput<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const v = readInput(name) || fallback;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`input '${name}' is '${v}': expected one of ${choices.join(', ')}`);
  return v as T;
}

/** A secret input: masked in the log (also URL-encoded, as it appears inside DATABASE_URL) and redacted from our own output. */
export function secretInput(name: string): string | undefined {
  return readInput(name, true) || undefined;
}

/** How the action reaches the database. */
export interface ConnectionInputs {
  /** A whole DATABASE_URL (wins over the other fields). */
  url?: string;
  host?: string;
  port: number;
  user?: string;
  /** Database in the URL path: the default schema of models. */
  database?: string;
  /** iam: a signed token per connection (the OIDC-assumed role); password: the secret below. Default: iam unless a password is given. */
  auth: 'iam' | 'password';
  password?: string;
  region?: string;
}

export function readConnectionInputs(): Readonly<ConnectionInputs> {
  const url = secretInput('database-url');
  if (url) {
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) secretInputValue(password);
    } catch {
      // parseDatabaseUrl reports a malformed URL with a clear message.
    }
  }
  const password = secretInput('database-password');
  const port = stringInput('database-port') ?? '3306';
  if (!/^\d{1,5}$/.test(port)) throw new UsageError(`input 'database-port' is '${port}': expected a port number such as 3306`);
  const requested = stringInput('database-auth');
  if (requested && requested !== 'iam' && requested !== 'password' && requested !== 'auto') {
    throw new UsageError(`input 'database-auth' is '${requested}': expected iam, password or auto`);
  }
  // auto: IAM database authentication, with the password secret only as a fallback.
  const auth = requested === 'iam' || requested === 'password' ? requested : password ? 'password' : 'iam';
  if (auth === 'password' && !password && !url) {
    throw new UsageError(
      "input 'database-auth' is 'password' but 'database-password' is empty. To fix this, pass the secret, or use database-auth: iam.",
    );
  }
  return Object.freeze({
    url,
    host: stringInput('database-host'),
    port: Number(port),
    user: stringInput('database-user'),
    database: stringInput('database-name'),
    auth,
    password,
    region: stringInput('aws-region'),
  });
}

function secretInputValue(v: string): void {
  core.setSecret(v);
  registerSecret(v);
}

/**
 * The DATABASE_URL the pipeline gets. IAM adds `auth=iam` (db.ts then signs a token per
 * connection) and TLS with the RDS CA; a non-local host always gets TLS (db.ts enforces it).
 * Without a host or URL, the runner's own DATABASE_URL (e.g. a service container) is kept.
 */
export function databaseUrl(c: ConnectionInputs, fallback: string | undefined): string | undefined {
  if (c.url) return c.url;
  if (!c.host) return fallback;
  if (!c.user) throw new UsageError("input 'database-user' is empty: a database host needs a user.");
  const u = new URL('mysql://placeholder');
  u.hostname = c.host;
  u.port = String(c.port);
  u.username = encodeURIComponent(c.user);
  if (c.database) u.pathname = `/${encodeURIComponent(c.database)}`;
  const local = /^(127\.|localhost$|::1$)/.test(c.host);
  if (c.auth === 'iam') {
    u.searchParams.set('auth', 'iam');
    if (c.region) u.searchParams.set('region', c.region);
    if (!local) u.searchParams.set('ssl', 'amazon-rds');
  } else if (c.password) {
    u.password = encodeURIComponent(c.password);
  }
  return u.toString();
}

/** The word to type in `confirm` to let a destructive action apply. */
export const CONFIRM_WORD = 'apply';

/**
 * Dry run unless `dry-run` is false and `confirm` is exactly CONFIRM_WORD. A dry-run of false
 * without the confirmation is refused (not silently run as a dry run), so a half-filled form
 * cannot be mistaken for an applied change.
 */
export function readApply(action: string): boolean {
  const dryRun = booleanInput('dry-run', true);
  const confirm = stringInput('confirm');
  if (dryRun) return false;
  if (confirm !== CONFIRM_WORD) {
    throw new UsageError(
      `${action} with dry-run false needs the confirmation: ` +
        `type '${CONFIRM_WORD}' in the confirm input${confirm ? ` (got '${confirm}')` : ''}. Nothing was changed.`,
    );
  }
  return true;
}
