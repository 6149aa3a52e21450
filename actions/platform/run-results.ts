/**
 * What a run did, in two files. target/pipeline_results.json holds everything: the dbt-style
 * `results` list and the pipeline's own sections (stages, load, tables, publish); every stage
 * returns its part as a value, the entry point merges them, and the report renders it.
 * target/run_results.json is dbt's artifact, valid against dbt's run_results v6 JSON Schema (which
 * allows no extra keys), so tools that read dbt artifacts (dbt-artifacts parsers, Elementary, the
 * state comparison of other tools) accept it: it is projected from the full results on write.
 * The engine does no I/O here except through `writeRunResults`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SHADOW_SUFFIX } from './schemas.ts';
import { writeTargetFile } from './target-files.ts';

export type ItemStatus = 'success' | 'warn' | 'error' | 'skipped';

/** One timed stage of a run (load, seed, build, test, publish, report). */
export interface StageResult {
  name: string;
  status: ItemStatus;
  startedAt: string;
  durationSeconds: number;
  message?: string;
}

/** One dbt-style node result: a model, seed, test or source check. */
export interface NodeResult {
  unique_id: string;
  /** dbt's statuses: success | error | skipped for models and seeds; pass | warn | fail | error | skipped for tests. */
  status: 'success' | 'error' | 'skipped' | 'pass' | 'warn' | 'fail';
  timing: Array<{ name: 'compile' | 'execute'; started_at: string; completed_at: string }>;
  execution_time: number;
  message: string | null;
  /** Failing rows of a test; rows affected of a model or seed. */
  failures: number | null;
  /** A snapshot also says how many versions it opened and closed (and, under new_record, deleted versions opened). */
  adapter_response: { rows_affected?: number; versions_opened?: number; versions_closed?: number; versions_deleted?: number };
  /** Pipeline extras: where the node was declared, a few failing rows, the relation built. */
  file?: string;
  line?: number;
  samples?: Record<string, unknown>[];
  relation?: string;
  /** The SQL the node ran (a model's compiled SELECT, a test's query), for run_results.json. */
  compiled_code?: string;
}

export interface LoadTableResult {
  table: string;
  rows: number;
  bytes: number;
  /** From its CREATE TABLE to its last statement done (reading the dump and waiting included). */
  seconds: number;
  /** Seconds its statements ran on the server, summed. */
  serverSeconds?: number;
  status: 'loaded' | 'unchanged' | 'dropped' | 'error';
  message?: string;
  /** SHA-512/256 of the table's statements in the dump (what decides "unchanged" next time). */
  hash?: string;
}

export interface LoadResult {
  source: string;
  schema: string;
  dumpDate?: string;
  bytes: number;
  seconds: number;
  tables: LoadTableResult[];
  refused: Array<{ statement: string; reason: string; line?: number; offset?: number }>;
  skippedRoutines: number;
  collationMappings: Array<{ from: string; to: string; count: number }>;
  published: boolean;
  /** When not published (`publish: false`): the loaded shadow schema, left for the caller's swap. */
  shadowSchema?: string;
  /** Load connections used. */
  threads?: number;
  /** INSERT batches sent as LOAD DATA LOCAL INFILE, and as they are. */
  batches?: { loadData: number; insert: number };
  /** Bytes of queued statements that waited in a temporary file (the dump read ahead of the server). */
  spilledBytes?: number;
  /** Statements skipped on purpose (GTID_PURGED, SQL_LOG_BIN, settings the loader does not follow), with counts. */
  skipped?: Array<{ reason: string; count: number }>;
  /** Set when the load failed: what and where (table, line, byte offset). */
  error?: string;
}

export interface TableCount {
  schema: string;
  layer: 'staging' | 'seeds' | 'silver' | 'gold' | 'snapshots' | 'other';
  table: string;
  rows: number | null;
  previousRows: number | null;
  kind: 'table' | 'view';
}

export interface PublishResult {
  published: boolean;
  at?: string;
  tables: number;
  /** When not published: why, and where the shadow schemas are kept for inspection. */
  reason?: string;
  shadowSchemas?: string[];
}

export interface RunResults {
  metadata: { generated_at: string; invocation_id: string; command: string; pipeline_version: string };
  status: 'success' | 'error';
  elapsed_time: number;
  args: Record<string, unknown>;
  stages: StageResult[];
  results: NodeResult[];
  load?: LoadResult;
  tables?: TableCount[];
  publish?: PublishResult;
  /** Mermaid source of the model lineage (from the manifest). */
  lineage?: string;
}

/** dbt's artifact (run_results v6). */
export const RUN_RESULTS_FILE = 'run_results.json';
/** The pipeline's full results (what the report, the actions and the step copies read). */
export const PIPELINE_RESULTS_FILE = 'pipeline_results.json';

export const DBT_VERSION = '1.9.0';
export const RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';

/** The metadata every dbt artifact starts with (manifest, run_results, sources, catalog). */
export interface ArtifactMetadata {
  dbt_schema_version: string;
  dbt_version: string;
  generated_at: string;
  invocation_id?: string | null;
  env: Record<string, string>;
}

/** An artifact's metadata block: its schema's URL, when it was made, by which invocation. */
export function artifactMetadata(
  schemaUrl: string,
  o: { generatedAt?: Date | string; invocationId?: string | null; dbtVersion?: string } = {},
): ArtifactMetadata {
  const at = o.generatedAt ?? new Date();
  return {
    dbt_schema_version: schemaUrl,
    dbt_version: o.dbtVersion ?? DBT_VERSION,
    generated_at: typeof at === 'string' ? at : at.toISOString(),
    invocation_id: o.invocationId,
    env: {},
  };
}

/**
 * A relation `schema.table` as dbt's relation_name (quoted parts). Once the run published, a node
 * built in a shadow schema lives in the published one: that is the name tools must query.
 */
function relationName(relation: string | undefined, published: boolean): string | null {
  if (!relation) return null;
  const [schema, ...rest] = relation.split('.');
  const live = published && schema!.endsWith(SHADOW_SUFFIX) ? schema!.slice(0, -SHADOW_SUFFIX.length) : schema!;
  return [live, ...rest].map((p) => `\`${p.replaceAll('`', '``')}\``).join('.');
}

/** The run results as dbt's run_results.json v6: its keys only, the pipeline's sections left out. */
export function toDbtRunResults(r: RunResults): Record<string, unknown> {
  return {
    metadata: artifactMetadata(RUN_RESULTS_SCHEMA, { generatedAt: r.metadata.generated_at, invocationId: r.metadata.invocation_id }),
    results: r.results.map((n) => ({
      status: n.status,
      timing: n.timing,
      // Nodes run concurrently on the process's one JavaScript thread (one connection each).
      thread_id: 'MainThread',
      execution_time: n.execution_time,
      adapter_response: n.adapter_response,
      message: n.message,
      failures: n.failures,
      unique_id: n.unique_id,
      compiled: n.compiled_code !== undefined,
      compiled_code: n.compiled_code ?? null,
      relation_name: relationName(n.relation, r.publish?.published === true),
    })),
    elapsed_time: r.elapsed_time,
    args: { ...r.args, which: r.metadata.command },
  };
}

export function readRunResults(targetDir: string): RunResults | undefined {
  const file = join(targetDir, PIPELINE_RESULTS_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RunResults;
}

/**
 * Writes pipeline_results.json and dbt's run_results.json, each atomically (temporary file, then
 * rename), with secrets redacted; returns the path of run_results.json.
 */
export function writeRunResults(targetDir: string, results: RunResults): string {
  writeTargetFile(join(targetDir, PIPELINE_RESULTS_FILE), JSON.stringify(results, null, 2));
  return writeTargetFile(join(targetDir, RUN_RESULTS_FILE), JSON.stringify(toDbtRunResults(results), null, 2));
}
