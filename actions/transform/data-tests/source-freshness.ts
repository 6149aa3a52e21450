/**
 * `pipeline source freshness`: dbt's command of that name. Every selected source with a freshness
 * rule is checked as the source checks do (same SQL, same as-of time), and the outcome is written
 * as dbt's target/sources.json (schema v3), which tools that watch freshness read.
 * https://docs.getdbt.com/reference/commands/source
 */
import type { Db } from '../../platform/db.ts';
import { errorMessage } from '../../platform/errors.ts';
import { type ArtifactMetadata, artifactMetadata } from '../../platform/run-results.ts';
import type { Project, RelationResolver, SourceNode } from '../project/types.ts';
import { runSourceChecks, type SourceCheck } from './source-checks.ts';

export const SOURCES_FILE = 'sources.json';

export type FreshnessStatus = 'pass' | 'warn' | 'error' | 'runtime error';

export type FreshnessResult =
  | { unique_id: string; status: 'runtime error'; error: string }
  | {
      unique_id: string;
      status: Exclude<FreshnessStatus, 'runtime error'>;
      max_loaded_at: string;
      snapshotted_at: string;
      max_loaded_at_time_ago_in_s: number;
      criteria: { warn_after: unknown; error_after: unknown; filter: string | null };
      adapter_response: Record<string, unknown>;
      timing: Array<{ name: string; started_at: string; completed_at: string }>;
      thread_id: string;
      execution_time: number;
    };

export interface SourcesArtifact {
  metadata: ArtifactMetadata;
  results: FreshnessResult[];
  elapsed_time: number;
}

/** `YYYY-MM-DD HH:MM:SS` from the server (UTC sessions) as an ISO date-time. */
function isoOf(sqlDateTime: unknown): string {
  const text = sqlDateTime instanceof Date ? sqlDateTime.toISOString() : String(sqlDateTime);
  return /Z$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
}

/** Checks one source's freshness; sources without a freshness rule are not checked (as dbt). */
export async function checkFreshness(db: Db, source: SourceNode, check: SourceCheck, asOf: Date): Promise<FreshnessResult> {
  const started = new Date();
  let rs;
  try {
    rs = await runSourceChecks(db, { ...check, notEmpty: false }, asOf);
  } catch (err) {
    return { unique_id: source.unique_id, status: 'runtime error', error: errorMessage(err) };
  }
  const r = rs.find((x) => x.unique_id.startsWith('source_check.freshness.'));
  const sample = r?.samples?.[0] as { max_loaded_at?: unknown; age_seconds?: number } | undefined;
  if (!r || !sample || r.status === 'error') {
    // The table is missing, has no loaded_at value, or the query failed: dbt's runtime error.
    const why = rs.find((x) => x.status !== 'pass')?.message ?? 'no freshness result';
    return { unique_id: source.unique_id, status: 'runtime error', error: why };
  }
  const completed = new Date();
  const f = source.freshness!;
  return {
    unique_id: source.unique_id,
    max_loaded_at: isoOf(sample.max_loaded_at),
    snapshotted_at: asOf.toISOString(),
    max_loaded_at_time_ago_in_s: sample.age_seconds ?? 0,
    status: r.status === 'fail' ? 'error' : r.status === 'warn' ? 'warn' : 'pass',
    criteria: { warn_after: f.warn_after ?? null, error_after: f.error_after ?? null, filter: f.filter ?? null },
    adapter_response: {},
    timing: [{ name: 'execute', started_at: started.toISOString(), completed_at: completed.toISOString() }],
    thread_id: 'MainThread',
    execution_time: (completed.getTime() - started.getTime()) / 1000,
  };
}

/** The selected sources that have a freshness rule, checked one after another. */
export async function sourceFreshness(
  db: Db,
  project: Project,
  o: {
    ids: readonly string[];
    resolver: RelationResolver;
    asOf: Date;
    checkOf: (s: SourceNode, r: RelationResolver) => SourceCheck;
    invocationId: string;
  },
): Promise<SourcesArtifact> {
  const started = Date.now();
  const results: FreshnessResult[] = [];
  for (const id of o.ids) {
    const source = project.sources.get(id);
    if (!source?.freshness || !source.loaded_at_field || !(source.freshness.warn_after || source.freshness.error_after)) continue;
    results.push(await checkFreshness(db, source, o.checkOf(source, o.resolver), o.asOf));
  }
  return {
    metadata: artifactMetadata('https://schemas.getdbt.com/dbt/sources/v3.json', { invocationId: o.invocationId }),
    results,
    elapsed_time: (Date.now() - started) / 1000,
  };
}
