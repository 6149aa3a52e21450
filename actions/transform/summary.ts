/**
 * The readable end of `test`, `build` and `daily`: counts by status, then each failure and
 * warning with where it was declared, its failing-row count and a few sample rows, then what
 * happened to the publish.
 */
import type { NodeResult, PublishResult, RunResults } from '../platform/run-results.ts';

export interface Counts {
  pass: number;
  warn: number;
  error: number;
  skip: number;
}

/** dbt's summary buckets: success/pass count as pass; fail/error as error. */
export function countResults(results: readonly NodeResult[]): Counts {
  const c: Counts = { pass: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) {
    if (r.status === 'success' || r.status === 'pass') c.pass++;
    else if (r.status === 'warn') c.warn++;
    else if (r.status === 'skipped') c.skip++;
    else c.error++;
  }
  return c;
}

function sampleLines(samples: readonly Record<string, unknown>[] | undefined): string[] {
  if (!samples || samples.length === 0) return [];
  return samples.map(
    (s) =>
      `      ${Object.entries(s)
        .map(([k, v]) => `${k}=${v === null ? 'NULL' : String(v)}`)
        .join(', ')}`,
  );
}

export function formatSummary(results: readonly NodeResult[], publish?: PublishResult): string {
  const c = countResults(results);
  const lines = [`Done. PASS=${c.pass} WARN=${c.warn} ERROR=${c.error} SKIP=${c.skip} TOTAL=${results.length}`];
  const notable = results.filter((r) => r.status === 'fail' || r.status === 'error' || r.status === 'warn');
  for (const r of notable) {
    const where = r.file ? ` [${r.file}${r.line ? `:${r.line}` : ''}]` : '';
    const rows =
      r.failures !== null && r.failures !== undefined && r.status !== 'error'
        ? ` (${r.failures} failing row${r.failures === 1 ? '' : 's'})`
        : '';
    lines.push(`  ${r.status.toUpperCase()} ${r.unique_id}${rows}${where}`);
    if (r.message) lines.push(`    ${r.message}`);
    const samples = sampleLines(r.samples);
    if (samples.length > 0) lines.push('    sample rows:', ...samples);
  }
  const skipped = results.filter((r) => r.status === 'skipped');
  if (skipped.length > 0)
    lines.push(`  skipped: ${skipped.map((r) => r.unique_id.split('.').slice(2).join('.') || r.unique_id).join(', ')}`);
  if (publish) {
    lines.push(
      publish.published
        ? `Published ${publish.tables} table(s) at ${publish.at} in one RENAME TABLE.${publish.reason ? ` ${publish.reason}` : ''}`
        : `NOT published: ${publish.reason ?? 'unknown reason'}`,
    );
  }
  return lines.join('\n');
}

/** The run failed when a node errored, a test failed at error severity, or a publish was due and did not happen. */
export function runFailed(results: readonly NodeResult[], publish?: PublishResult, dryRun = false): boolean {
  if (results.some((r) => r.status === 'error' || r.status === 'fail')) return true;
  if (publish && !publish.published && !dryRun) return true;
  return false;
}

/** What a finished test, build or daily run hands over to become target/run_results.json. */
export interface RunOutcome {
  command: string;
  /** The run lock's run id, so run_results.json and pipeline_meta.runs name the same run. */
  invocationId: string;
  startedAt: Date;
  args: Record<string, unknown>;
  results: NodeResult[];
  stages: RunResults['stages'];
  publish?: PublishResult;
  load?: RunResults['load'];
  tables?: RunResults['tables'];
  failed: boolean;
}

export function makeRunResults(input: RunOutcome & { version: string }): RunResults {
  return {
    metadata: {
      generated_at: new Date().toISOString(),
      invocation_id: input.invocationId,
      command: input.command,
      pipeline_version: input.version,
    },
    status: input.failed ? 'error' : 'success',
    elapsed_time: (Date.now() - input.startedAt.getTime()) / 1000,
    args: input.args,
    stages: input.stages,
    results: input.results,
    ...(input.load ? { load: input.load } : {}),
    ...(input.tables && input.tables.length > 0 ? { tables: input.tables } : {}),
    ...(input.publish ? { publish: input.publish } : {}),
  };
}
