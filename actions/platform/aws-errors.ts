/**
 * AWS errors turned into one line that says what failed and what to do. The SDK's own messages
 * ("User: arn:aws:sts::... is not authorized to perform: rds:RestoreDBClusterToPointInTime on
 * resource ...") are kept at the end, since they name the exact action and resource.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html
 */
import { PipelineError } from './errors.ts';

export type AwsErrorKind =
  | 'access-denied'
  | 'credentials'
  | 'throttled'
  | 'not-found'
  | 'invalid-restore'
  | 'already-exists'
  | 'invalid-state'
  | 'quota'
  | 'other';

/** A failed AWS call: which operation, on what, the error's name, and one line of advice. */
export class AwsCallError extends PipelineError {
  readonly operation: string;
  readonly code: string;
  readonly kind: AwsErrorKind;
  constructor(message: string, operation: string, code: string, kind: AwsErrorKind, options?: { cause?: unknown }) {
    super(message, options);
    this.operation = operation;
    this.code = code;
    this.kind = kind;
    this.name = 'AwsCallError';
  }
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorLimitExceededException',
]);
const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'NotAuthorized',
  'AuthorizationError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const CREDENTIALS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const NOT_FOUND = new Set([
  'DBClusterNotFoundFault',
  'DBInstanceNotFoundFault',
  'DBSubnetGroupNotFoundFault',
  'DBClusterParameterGroupNotFoundFault',
  'DBParameterGroupNotFoundFault',
  'DBClusterSnapshotNotFoundFault',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
]);
const ALREADY_EXISTS = new Set(['DBClusterAlreadyExistsFault', 'DBInstanceAlreadyExistsFault']);
const INVALID_STATE = new Set([
  'InvalidDBClusterStateFault',
  'InvalidDBInstanceStateFault',
  'InvalidVPCNetworkStateFault',
  'InvalidSubnet',
]);
const QUOTA = new Set([
  'DBClusterQuotaExceededFault',
  'InstanceQuotaExceededFault',
  'StorageQuotaExceededFault',
  'InsufficientDBInstanceCapacityFault',
  'InsufficientDBClusterCapacityFault',
  'InsufficientStorageClusterCapacityFault',
]);

export function awsErrorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string };
  return e?.name ?? e?.Code ?? e?.code ?? 'Error';
}

export function isThrottling(err: unknown): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return THROTTLING.has(awsErrorCode(err)) || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429;
}

/** Worth another try after a pause: throttling, and the SDK's own transient errors (5xx, timeouts). */
export function isRetryable(err: unknown): boolean {
  const e = err as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; name?: string };
  return isThrottling(err) || !!e?.$retryable || (e?.$metadata?.httpStatusCode ?? 0) >= 500 || e?.name === 'TimeoutError';
}

export function classifyAwsError(err: unknown): AwsErrorKind {
  const code = awsErrorCode(err);
  if (isThrottling(err)) return 'throttled';
  if (ACCESS_DENIED.has(code) || (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403)
    return 'access-denied';
  if (CREDENTIALS.has(code)) return 'credentials';
  if (NOT_FOUND.has(code)) return 'not-found';
  if (code === 'InvalidRestoreFault' || code === 'PointInTimeRestoreNotEnabled') return 'invalid-restore';
  if (ALREADY_EXISTS.has(code)) return 'already-exists';
  if (INVALID_STATE.has(code)) return 'invalid-state';
  if (QUOTA.has(code)) return 'quota';
  return 'other';
}

/** What the user should do, by kind of error. `what` names the resource, e.g. "cluster x in ap-northeast-1". */
function advice(kind: AwsErrorKind, operation: string, what: string): string {
  // Operations are RDS's unless named with their service (s3:PutObject).
  const action = operation.includes(':') ? operation : `rds:${operation}`;
  switch (kind) {
    case 'access-denied':
      return `To fix this, allow ${action} on ${what} for the AWS role this runs as (in Actions: the role assumed with OIDC).`;
    case 'credentials':
      return 'To fix this, provide AWS credentials (in Actions: configure-aws-credentials with the OIDC role; locally: AWS_PROFILE or aws sso login).';
    case 'throttled':
      return 'AWS kept throttling the request after several retries. To fix this, wait a minute and run the command again.';
    case 'not-found':
      return action.startsWith('s3:')
        ? 'To fix this, check the bucket and prefix (and the region of the bucket).'
        : 'To fix this, check the identifier and region (rollback.cluster and rollback.region in pipeline.yml, or --cluster and --region).';
    case 'invalid-restore':
      return "The time is outside the cluster's restore window. To fix this, run 'pipeline rollback status' and choose a time between the earliest and latest restorable time.";
    case 'already-exists':
      return 'A cluster or instance with that name exists already (perhaps from an earlier restore). To fix this, delete it, or restore to another time.';
    case 'invalid-state':
      return `${what} is not in a state that allows this. To fix this, wait until it is available ('pipeline rollback status') and run the command again.`;
    case 'quota':
      return 'An account quota or the capacity of the region was reached. To fix this, raise the quota or delete unused clusters, then run the command again.';
    default:
      return 'To fix this, act on the AWS message in parentheses (a network or endpoint problem: check that this machine reaches AWS), then run the command again.';
  }
}

/** Turns any error of an AWS call into an AwsCallError with one clear line. */
export function describeAwsError(err: unknown, operation: string, what: string): AwsCallError {
  if (err instanceof AwsCallError) return err;
  const code = awsErrorCode(err);
  const kind = classifyAwsError(err);
  const raw = (err as Error)?.message?.split('\n')[0]?.trim() ?? '';
  const detail = raw && raw !== code ? `: ${raw}` : '';
  const message = `${operation} on ${what} failed (${code}${detail}). ${advice(kind, operation, what)}`;
  return new AwsCallError(message, operation, code, kind, { cause: err });
}
