/** The run_results.json of a model command (seed, run, compile), from its node results. */
import { randomUUID } from 'node:crypto';
import type { NodeResult, RunResults } from '../platform/run-results.ts';

export const PIPELINE_VERSION = '0.1.0';

export function modelRunResults(
  command: string,
  results: readonly NodeResult[],
  startedAt: Date,
  args: Record<string, unknown>,
): RunResults {
  const failed = results.some((r) => r.status === 'error' || r.status === 'fail');
  const elapsed = (Date.now() - startedAt.getTime()) / 1000;
  return {
    metadata: { generated_at: new Date().toISOString(), invocation_id: randomUUID(), command, pipeline_version: PIPELINE_VERSION },
    status: failed ? 'error' : 'success',
    elapsed_time: elapsed,
    args,
    stages: [{ name: command, status: failed ? 'error' : 'success', startedAt: startedAt.toISOString(), durationSeconds: elapsed }],
    results: [...results],
  };
}
