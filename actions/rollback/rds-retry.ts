/**
 * Every RdsApi call with retries and one clear error. An hour of polling meets the odd 5xx,
 * throttling or connection reset; each is retried with exponential back-off and jitter (the SDK
 * client retries too, with maxAttempts > 1: this layer covers what outlasts it). Any other error,
 * or one that persists, becomes one line naming the call, the resource and what to do
 * (platform/aws-errors.ts).
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { describeAwsError, isRetryable } from '../platform/aws-errors.ts';
import type { Clock } from './clock.ts';
import { OPERATIONS, type RdsApi } from './rds-api.ts';

/** Node's socket errors: a reset or a dropped connection is worth another try. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  return (
    isRetryable(err) ||
    NETWORK_CODES.has(e?.code ?? '') ||
    e?.name === 'TimeoutError' ||
    e?.name === 'RequestTimeout' ||
    /socket hang up/i.test(e?.message ?? '')
  );
}

export interface RetryOptions {
  clock: Clock;
  /** Attempts per call. Default 8 (about 4 minutes of back-off at most). */
  attempts?: number;
  /** First back-off in ms, doubled each attempt with jitter, capped at 60 s. Default 1000. */
  backoffMs?: number;
  /** Told about each retry (the progress log). */
  onRetry?: (operation: string, error: string, attempt: number) => void;
}

function whatOf(method: string, args: unknown[], region: string): string {
  const a = args[0] as Record<string, unknown> | string | undefined;
  const id =
    typeof a === 'string'
      ? a
      : ((a?.DBClusterIdentifier ?? a?.DBInstanceIdentifier ?? a?.DBClusterEndpointIdentifier ?? a?.id ?? a?.clusterId) as
          | string
          | undefined);
  const kind = /Instance/.test(method) ? 'instance' : /Endpoint/.test(method) ? 'endpoint' : 'cluster';
  return id ? `${kind} ${id} in ${region}` : `the clusters of ${region}`;
}

export function withRetries(api: RdsApi, o: RetryOptions): RdsApi {
  const attempts = o.attempts ?? 8;
  const backoff = o.backoffMs ?? 1000;
  const wrapped: Record<string, unknown> = { region: api.region };
  for (const [method, operation] of Object.entries(OPERATIONS)) {
    const fn = (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!.bind(api);
    wrapped[method] = async (...args: unknown[]) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn(...args);
        } catch (err) {
          if (isTransient(err) && attempt < attempts) {
            o.onRetry?.(operation, (err as Error).name ?? String(err), attempt);
            await o.clock.sleep(Math.min(60_000, backoff * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
            continue;
          }
          throw describeAwsError(err, operation, whatOf(method, args, api.region));
        }
      }
    };
  }
  return wrapped as unknown as RdsApi;
}
