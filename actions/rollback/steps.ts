/**
 * The steps of a rollback command as results: each is done, reused (an earlier run did it),
 * failed, or stopped (out of time: a rerun goes on). An AWS or pipeline error ends the command
 * as a result the report renders; anything else is a bug and is thrown.
 */
import { AwsCallError } from '../platform/aws-errors.ts';
import { PipelineError, UsageError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { Clock } from './clock.ts';
import type { RdsApi } from './rds-api.ts';
import { OutOfTime, type Budget, type WaitContext } from './waits.ts';

/** What every rollback command runs with. */
export interface RollbackContext {
  /** RDS, with retries (rds-retry.ts). */
  api: RdsApi;
  clock: Clock;
  log: Logger;
  budget: Budget;
  /** Seconds between polls. Default 30. */
  pollSeconds?: number;
}

export function waitContext(ctx: RollbackContext): WaitContext {
  return { clock: ctx.clock, log: ctx.log, budget: ctx.budget, pollSeconds: ctx.pollSeconds };
}

export type StepStatus = 'done' | 'reused' | 'error' | 'stopped';

export interface StepResult {
  name: string;
  status: StepStatus;
  durationSeconds: number;
  message?: string;
}

export type Outcome = 'dry-run' | 'success' | 'error' | 'incomplete' | 'refused';

export class Steps {
  readonly list: StepResult[] = [];
  outcome: Outcome = 'success';

  private readonly ctx: RollbackContext;
  constructor(ctx: RollbackContext) {
    this.ctx = ctx;
  }

  /** Runs one step. `fn` returns 'reused' when it found the work done, or a message (a string), or nothing. Returns false when the command must stop. */
  async run(name: string, fn: () => Promise<unknown>): Promise<boolean> {
    const started = this.ctx.clock.now();
    this.ctx.log.info(`▶ ${name}`);
    const seconds = () => (this.ctx.clock.now() - started) / 1000;
    try {
      const r = await fn();
      const status: StepStatus = r === 'reused' ? 'reused' : 'done';
      this.list.push({ name, status, durationSeconds: seconds(), message: typeof r === 'string' && r !== 'reused' ? r : undefined });
      return true;
    } catch (err) {
      if (err instanceof OutOfTime) {
        this.list.push({ name, status: 'stopped', durationSeconds: seconds(), message: err.message });
        this.outcome = 'incomplete';
        return false;
      }
      if (!(err instanceof AwsCallError) && !(err instanceof PipelineError) && !(err instanceof UsageError)) throw err;
      this.list.push({ name, status: 'error', durationSeconds: seconds(), message: err.message });
      this.outcome = 'error';
      return false;
    }
  }
}

export function isAwsCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof AwsCallError && codes.includes(err.code);
}
