/**
 * One job often runs several stage actions (load, seed, build), and each command writes its own
 * run_results.json. The actions keep a copy per step (target/steps/); the report merges them so
 * the job summary and the uploaded artifact describe the whole job.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../platform/run-results.ts';

export const STEPS_DIR = 'steps';

/** Merges in order: later steps win for the same node and for load, tables and publish. */
export function mergeRunResults(list: RunResults[]): RunResults | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const last = list[list.length - 1]!;
  const results = new Map<string, RunResults['results'][number]>();
  for (const r of list) for (const n of r.results) results.set(n.unique_id, n);
  const merged: RunResults = {
    metadata: { ...last.metadata, command: list.map((r) => r.metadata.command).join(' + ') },
    status: list.some((r) => r.status !== 'success') ? 'error' : 'success',
    elapsed_time: list.reduce((a, r) => a + r.elapsed_time, 0),
    args: Object.assign({}, ...list.map((r) => r.args)),
    stages: list.flatMap((r) => r.stages),
    results: [...results.values()],
  };
  for (const r of list) {
    if (r.load) merged.load = r.load;
    if (r.tables) merged.tables = r.tables;
    if (r.publish) merged.publish = r.publish;
    if (r.lineage) merged.lineage = r.lineage;
  }
  return merged;
}

/** The per-step copies in the target directory, oldest first (their names start with a timestamp). */
export function readStepResults(targetDir: string): RunResults[] {
  const dir = join(targetDir, STEPS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunResults);
}
