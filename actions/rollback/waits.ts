/**
 * Waiting for RDS, within the time this run may use. AWS says a point-in-time restore "can take
 * several hours" for a large cluster, an instance typically 10 to 20 minutes, a rename a few
 * minutes. A run may last only until its credentials expire and its job times out, so the budget
 * is checked before a wait starts and at every poll; when it runs out the run stops cleanly with a
 * `OutOfTime` (what it waited for and how to go on: rerun, and the next run resumes). A progress
 * line is printed every minute, so a long wait is never silent.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html
 */
import { formatDuration, type Logger } from '../platform/log.ts';
import { PipelineError } from '../platform/errors.ts';
import type { Clock } from './clock.ts';

/** A wait stopped because the run's time is up: nothing failed; a rerun goes on. */
export class OutOfTime extends PipelineError {
  constructor(message: string) {
    super(message);
    this.name = 'OutOfTime';
  }
}

/** The end of the time this run may use, and why. */
export interface Budget {
  /** Epoch ms; undefined: no limit known. */
  deadline?: number;
  /** e.g. "the AWS credentials expire at 2026-12-06T23:40:00Z". */
  reason?: string;
}

/** The earliest of the limits given, less a margin for the last calls and the report. */
export function budgetFrom(limits: Array<{ at?: number; reason: string }>, marginMs = 5 * 60_000): Budget {
  const known = limits.filter((l) => l.at !== undefined && Number.isFinite(l.at)).sort((a, b) => a.at! - b.at!);
  const first = known[0];
  return first ? { deadline: first.at! - marginMs, reason: first.reason } : {};
}

export interface WaitContext {
  clock: Clock;
  log: Logger;
  budget: Budget;
  /** Seconds between polls. Default 30 (RDS changes slowly; DescribeDB* is throttled per account). */
  pollSeconds?: number;
  /** Seconds between progress lines. Default 60. */
  progressSeconds?: number;
}

export interface Probe {
  done: boolean;
  /** What is seen now, e.g. the status. */
  status: string;
  /** Set when waiting cannot help (a failed or incompatible status). */
  failed?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Throws OutOfTime unless at least `needMs` remain before the deadline. */
export function checkBudget(ctx: WaitContext, what: string, needMs: number): void {
  const { deadline, reason } = ctx.budget;
  if (deadline === undefined) return;
  const left = deadline - ctx.clock.now();
  if (left < needMs) {
    throw new OutOfTime(
      `not starting to ${what}: it usually takes ${formatDuration(needMs)} and only ${formatDuration(Math.max(0, left))} remain before ${reason ?? 'the end of this run'}. Nothing failed. To fix this, run the same command again (with fresh credentials): it goes on from here.`,
    );
  }
}

/** Statuses that waiting will not change. */
export function failedStatus(status: string | undefined): boolean {
  return !!status && /failed|incompatible|inaccessible|storage-full/.test(status);
}

export async function waitUntil(ctx: WaitContext, what: string, probe: () => Promise<Probe>): Promise<void> {
  const poll = (ctx.pollSeconds ?? 30) * 1000;
  const every = (ctx.progressSeconds ?? 60) * 1000;
  const start = ctx.clock.now();
  let lastLine = start;
  for (;;) {
    const p = await probe();
    if (p.failed) throw new PipelineError(`${what}: ${p.failed}`);
    if (p.done) {
      ctx.log.info(`  ${what}: done (${p.status}) after ${formatDuration(ctx.clock.now() - start)}`);
      return;
    }
    const now = ctx.clock.now();
    if (now - lastLine >= every) {
      ctx.log.info(`  ${what}: ${p.status} (${formatDuration(now - start)} so far)`);
      lastLine = now;
    }
    const { deadline, reason } = ctx.budget;
    if (deadline !== undefined && now + poll > deadline) {
      throw new OutOfTime(
        `${what} was still '${p.status}' after ${formatDuration(now - start)}, and this run must stop before ${reason ?? 'its deadline'} (${iso(deadline)}). Nothing failed. To fix this, run the same command again: it finds what is being made and goes on waiting.`,
      );
    }
    await ctx.clock.sleep(poll);
  }
}
