/**
 * Secrets that must never be printed: database passwords, tokens, AWS keys. Every output path
 * (logger, error printer, report writer) passes its text through `redact`.
 */
const secrets = new Set<string>();
const listeners: Array<(secret: string) => void> = [];

/** Remember a secret so that `redact` hides it from now on. Short values are ignored (too noisy). */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 4 || secrets.has(value)) return;
  secrets.add(value);
  // Passwords often reach messages URL-encoded (from DATABASE_URL).
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
  for (const fn of listeners) {
    fn(value);
    if (encoded !== value) fn(encoded);
  }
}

/**
 * Called with every secret registered from now on (and those already known): an action's entry
 * uses it to have the runner mask secrets the pipeline learns while it runs, such as IAM tokens.
 */
export function onSecretRegistered(fn: (secret: string) => void): void {
  listeners.push(fn);
  for (const s of secrets) fn(s);
}

/** Environment variables whose values are secrets whenever they are set. */
export const SECRET_ENV_VARS = [
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'DATABASE_PASSWORD',
  'MYSQL_PWD',
  'GITHUB_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
] as const;

export function registerSecretsFromEnv(env: Record<string, string | undefined>): void {
  for (const name of SECRET_ENV_VARS) registerSecret(env[name]);
  const url = env.DATABASE_URL;
  if (url) {
    try {
      registerSecret(decodeURIComponent(new URL(url).password));
    } catch {
      // A malformed URL is reported by the config reader; nothing to register.
    }
  }
}

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]+)(@)/gi;

/** Hide every registered secret and any password embedded in a URL. */
export function redact(text: string): string {
  let out = text.replace(URL_PASSWORD, '$1***$3');
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('***');
  }
  return out;
}

/** For tests only: forget the registered secrets. */
export function clearSecrets(): void {
  secrets.clear();
}
