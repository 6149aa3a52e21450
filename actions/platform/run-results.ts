/**
 * target/run_results.json: what a run did, in a shape close to dbt's (so existing tooling reads the
 * `results` list), extended with the pipeline's own sections (stages, load, seeds, publish). Every
 * stage returns its part as a value; the entry point merges them into the file, and the report
 * renders it. The engine does no I/O here except through `writeRunResults`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
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
  adapter_response: { rows_affected?: number };
  /** Pipeline extras: where the node was declared, a few failing rows, the relation built. */
  file?: string;
  line?: number;
  samples?: Record<string, unknown>[];
  relation?: string;
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
  layer: 'staging' | 'seeds' | 'silver' | 'gold' | 'other';
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

export const RUN_RESULTS_FILE = 'run_results.json';

export function readRunResults(targetDir: string): RunResults | undefined {
  const file = join(targetDir, RUN_RESULTS_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RunResults;
}

/** Writes atomically (temporary file, then rename), with secrets redacted. */
export function writeRunResults(targetDir: string, results: RunResults): string {
  return writeTargetFile(join(targetDir, RUN_RESULTS_FILE), JSON.stringify(results, null, 2));
}
