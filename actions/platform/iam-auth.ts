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
import type { Signer } from '@aws-sdk/rds-signer';
import { registerSecret } from './secrets.ts';

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

/**
 * The SDK's signer. It pulls in the AWS SDK's credential chain, so it is imported when the first
 * token is asked for, not when the database module loads (every command imports that; README:
 * "CLI start-up"). A literal dynamic import, so that the actions' bundles carry it.
 */
export const defaultSignerFactory: SignerFactory = (t) => {
  let signer: Promise<Signer> | undefined;
  return {
    async getAuthToken() {
      signer ??= import('@aws-sdk/rds-signer').then(
        (sdk) => new sdk.Signer({ hostname: t.host, port: t.port, username: t.user, region: t.region }),
      );
      return (await signer).getAuthToken();
    },
  };
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
