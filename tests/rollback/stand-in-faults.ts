/**
 * What the RDS stand-in shares with the tests: a fake clock (sleeps advance it at once, so an
 * hour-long restore takes no time), AWS-shaped errors as the SDK throws them, and the faults a
 * real network and service produce (5xx, connection resets, throttling).
 */
import type { Clock } from '../../actions/rollback/clock.ts';

export class FakeClock implements Clock {
  private readonly start: number;
  t: number;
  constructor(t: number) {
    this.t = t;
    this.start = t;
  }
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    // A wait that never ends is a bug in a test or the engine: fail instead of spinning forever.
    if (this.t - this.start > 30 * 86400_000) throw new Error('the fake clock ran 30 days: a wait never ends');
  }
}

/** An RDS error as the SDK throws it: the error code as the name, the HTTP status in $metadata. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, attempts: 1 },
  });
}

export type FaultKind = '5xx' | 'reset' | 'throttle';

export function faultError(kind: FaultKind): Error {
  if (kind === '5xx') return awsError('InternalFailure', 'We encountered an internal error. Please try again.', 500);
  if (kind === 'throttle') return awsError('Throttling', 'Rate exceeded', 400);
  // What node's http client throws when the connection drops mid-request.
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** Faults to inject: the next `times` calls of `operation` ('*' for any) fail with `kind`. */
export interface Fault {
  operation: string;
  kind: FaultKind;
  times: number;
  /** Whether the call took effect before the connection dropped (a reset after the request got through). */
  after?: boolean;
}
