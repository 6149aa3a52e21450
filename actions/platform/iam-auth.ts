/**
 * IAM database authentication for Aurora MySQL: instead of a stored password, each new connection
 * presents a short-lived token signed with the caller's AWS credentials (in Actions: the role
 * assumed through OIDC). The server asks for the token with the `mysql_clear_password` plugin, so
 * it travels in clear text inside the connection: TLS is mandatory (db.ts refuses IAM without it).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.Connecting.html
 *
 * A token is valid for 15 minutes, and a pool opens connections throughout a long run, so the
 * token is produced per connection (cached for a few minutes), never once at start.
 */
import { createRequire } from 'node:module';
import type { Signer as SignerType } from '@aws-sdk/rds-signer';
import { registerSecret } from './secrets.ts';

// The signer pulls in the AWS SDK's credential chain: required when IAM authentication is used,
// not when the database module loads (every command imports it; README: "CLI start-up").
const require = createRequire(import.meta.url);

/** Tokens live 15 minutes; reuse one for at most this long. */
export const TOKEN_REUSE_MS = 10 * 60 * 1000;

export interface IamAuthTarget {
  host: string;
  port: number;
  user: string;
  /** AWS region of the cluster; when absent, the SDK's default (AWS_REGION). */
  region?: string;
}

/** The part of the SDK's Signer we need, so tests can count calls. */
export interface TokenSigner {
  getAuthToken(): Promise<string>;
}

export type SignerFactory = (target: IamAuthTarget) => TokenSigner;

export const defaultSignerFactory: SignerFactory = (t) => {
  const { Signer } = require('@aws-sdk/rds-signer') as { Signer: typeof SignerType };
  return new Signer({ hostname: t.host, port: t.port, username: t.user, region: t.region });
};

/** A token source that signs at most once per TOKEN_REUSE_MS. */
export function createTokenSource(
  target: IamAuthTarget,
  factory: SignerFactory = defaultSignerFactory,
  now: () => number = Date.now,
): () => Promise<string> {
  const signer = factory(target);
  let cached: { token: string; at: number } | undefined;
  return async () => {
    if (cached && now() - cached.at < TOKEN_REUSE_MS) return cached.token;
    const token = await signer.getAuthToken();
    registerSecret(token);
    cached = { token, at: now() };
    return token;
  };
}

/**
 * mysql2 driver options for IAM authentication: a `mysql_clear_password` plugin that answers the
 * server's auth switch with a fresh token (mysql2 awaits a plugin that returns a promise).
 */
export function iamDriverOptions(target: IamAuthTarget, factory?: SignerFactory): Record<string, unknown> {
  const token = createTokenSource(target, factory);
  return {
    authPlugins: {
      mysql_clear_password: () => async () => Buffer.from(`${await token()}\0`),
    },
  };
}
