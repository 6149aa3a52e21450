/**
 * AWS SDK clients for the CLI, built from the environment the CLI read once. Credentials come
 * from the SDK's default chain (in Actions: the OIDC-assumed role). An S3-compatible endpoint
 * (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, e.g. a local test server) switches to path-style URLs.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../../actions/platform/errors.ts';

// The SDK costs 0.3-0.7 s to import (README: "CLI start-up"): a command that needs it loads it
// first (loadS3Sdk, loadRdsSdk), not the CLI at start. A literal dynamic import, so that the
// actions' bundles (esbuild) carry the SDK: a require() made by createRequire is left to run time,
// where a bundle has no node_modules. The factories stay synchronous.
let s3Sdk: typeof import('@aws-sdk/client-s3') | undefined;
let rdsSdk: typeof import('@aws-sdk/client-rds') | undefined;

export async function loadS3Sdk(): Promise<void> {
  s3Sdk ??= await import('@aws-sdk/client-s3');
}

export async function loadRdsSdk(): Promise<void> {
  rdsSdk ??= await import('@aws-sdk/client-rds');
}

function loaded<T>(sdk: T | undefined, name: string): T {
  if (!sdk) throw new Error(`${name} was used before it was loaded (a bug: call its load function first)`);
  return sdk;
}

export const AWS_ENV = {
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  endpoint: 'AWS_ENDPOINT_URL',
  s3Endpoint: 'AWS_ENDPOINT_URL_S3',
  /** When the session credentials end (ISO): configure-aws-credentials' `aws-expiration` output, passed on by the workflow. */
  credentialExpiration: 'AWS_CREDENTIAL_EXPIRATION',
} as const;

type Env = Record<string, string | undefined>;

export function regionFrom(env: Env, ...candidates: Array<string | undefined>): string {
  const region = [...candidates, env[AWS_ENV.region], env[AWS_ENV.defaultRegion]].find((r) => r && r.trim() !== '');
  if (!region) throw new UsageError('no AWS region: pass --region, set rollback.region in pipeline.yml, or set AWS_REGION');
  return region;
}

/**
 * The SDK retries 5xx, throttling and dropped connections itself (standard mode, 5 attempts, a few
 * seconds); actions/rollback/rds-retry.ts retries on top with longer back-off, for the outage that
 * outlasts the SDK's attempts during an hour of polling.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export const RDS_MAX_ATTEMPTS = 5;

export function createRdsClient(region: string): RDSClient {
  const { RDSClient } = loaded(rdsSdk, '@aws-sdk/client-rds');
  return new RDSClient({ region, maxAttempts: RDS_MAX_ATTEMPTS, retryMode: 'standard' });
}

/** When the AWS session credentials expire, if the environment says (undefined: unknown). */
export function credentialsExpiry(env: Env): Date | undefined {
  // configure-aws-credentials sets its output from a Date, which @actions/core writes as JSON: quoted.
  const raw = env[AWS_ENV.credentialExpiration]?.trim().replace(/^"(.*)"$/, '$1');
  if (!raw) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime()))
    throw new UsageError(
      `${AWS_ENV.credentialExpiration} '${raw}' is not an ISO time. To fix this, unset it or pass the expiration configure-aws-credentials gives.`,
    );
  return d;
}

export function createS3Client(env: Env): S3Client {
  const { S3Client } = loaded(s3Sdk, '@aws-sdk/client-s3');
  const endpoint = env[AWS_ENV.s3Endpoint] || env[AWS_ENV.endpoint] || undefined;
  return new S3Client({
    // The vendor's bucket is in Tokyo; AWS_REGION overrides.
    region: env[AWS_ENV.region] || env[AWS_ENV.defaultRegion] || 'ap-northeast-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
}
