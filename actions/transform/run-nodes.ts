/**
 * One pass over the selected nodes: source checks, seeds and models built through the engine's
 * executor, and data tests, in the queue's order (node-queue.ts). Used by `build` (all three),
 * `test` (checks and tests only) and `daily` (all three, in the shadow). Returns dbt-style node
 * results; a failure is a result, never an exception.
 */
import type { Db } from '../platform/db.ts';
import { ConfigError, errorMessage } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { ModelNode, Project, RelationResolver, SeedNode, SourceNode, TestNode } from './project/types.ts';
import type { NodeResult } from '../platform/run-results.ts';
import { ColumnCache, checkColumns, missingColumn } from './data-tests/column-check.ts';
import { compileTest } from './data-tests/compile-tests.ts';
import { queryRunner } from './project/warehouse.ts';
import { runSourceChecks, type SourceCheck } from './data-tests/source-checks.ts';
import { runTest } from './data-tests/test-runner.ts';
import { customTestNames, projectTestTemplating } from './data-tests/test-templating.ts';
import { validateTests } from './data-tests/validate-tests.ts';
import { runQueue, type QueueItem } from './node-queue.ts';

/** Builds one seed or model where the resolver puts it (the engine's materializations). */
export interface NodeExecutor {
  execute(node: ModelNode | SeedNode, resolver: RelationResolver): Promise<NodeResult>;
}

export interface RunNodesOptions {
  project: Project;
  db: Db;
  resolver: RelationResolver;
  /** Seeds and models to build (unique_ids); none for `test`. */
  build: ReadonlySet<string>;
  /** Tests to run (unique_ids). */
  tests: ReadonlySet<string>;
  /** Sources whose checks run (unique_ids). */
  sources: ReadonlySet<string>;
  executor?: NodeExecutor;
  /** Physical audit schema (store_failures). */
  auditSchema: string;
  /** The run's as-of time, for source freshness. */
  asOf: Date;
  threads: number;
  log: Logger;
  /** Skip descendants of failures. Default true. */
  skipDescendants?: boolean;
  /** Receives each test's compiled SQL (the CLI writes it under target/compiled/). */
  onCompiled?: (test: TestNode, sql: string) => void;
}

/** Source checks as declared: freshness from YAML, not-empty from the table's `meta: {not_empty: true}`. */
export function sourceCheckOf(source: SourceNode, resolver: RelationResolver): SourceCheck {
  const rel = resolver.resolve(source);
  const f = source.freshness;
  return {
    sourceId: source.unique_id,
    relation: { schema: rel.schema, table: rel.identifier },
    notEmpty: source.meta.not_empty === true,
    freshness:
      f && source.loaded_at_field && (f.warn_after || f.error_after)
        ? { loadedAtField: source.loaded_at_field, warnAfter: f.warn_after, errorAfter: f.error_after, filter: f.filter }
        : undefined,
    file: source.original_file_path,
    line: source.location.line,
  };
}

/**
 * Problems found before anything runs: wrong test arguments (static), and tests on columns that
 * relations already on the server do not have. A test on a node this run builds is checked
 * against what the run builds, right before it runs (the model may add the column; whatever
 * table of that name is on the server now is not what the test will read). Throws a ConfigError
 * (exit 2) listing them all.
 */
export async function preflight(
  options: Pick<RunNodesOptions, 'project' | 'db' | 'resolver' | 'tests'> & { build?: ReadonlySet<string> },
): Promise<void> {
  const tests = [...options.tests].map((id) => options.project.nodes.get(id) as TestNode);
  const problems = validateTests(options.project, tests, customTestNames(options.project));
  const onExisting = tests.filter((t) => !(t.attached_node && options.build?.has(t.attached_node)));
  if (problems.length === 0) problems.push(...(await checkColumns(options.db, options.project, onExisting, options.resolver)));
  if (problems.length > 0) throw new ConfigError(problems);
}

function skippedResult(id: string, cause: string, node?: { original_file_path: string; location: { line?: number } }): NodeResult {
  return {
    unique_id: id,
    status: 'skipped',
    timing: [],
    execution_time: 0,
    message: `skipped because ${cause} failed upstream`,
    failures: null,
    adapter_response: {},
    file: node?.original_file_path,
    line: node?.location.line,
  };
}

function errorResult(id: string, message: string, node?: { original_file_path: string; location: { line?: number } }): NodeResult {
  const now = new Date().toISOString();
  return {
    unique_id: id,
    status: 'error',
    timing: [{ name: 'execute', started_at: now, completed_at: now }],
    execution_time: 0,
    message,
    failures: null,
    adapter_response: {},
    file: node?.original_file_path,
    line: node?.location.line,
  };
}

/** True when a result must stop the run from publishing and skip what depends on it. */
export function isBlocking(r: NodeResult): boolean {
  return r.status === 'error' || r.status === 'fail';
}

export async function runNodes(options: RunNodesOptions): Promise<NodeResult[]> {
  const { project, db, resolver, log } = options;
  const results: NodeResult[] = [];
  const templating = projectTestTemplating(project, resolver, queryRunner(db));
  const columns = new ColumnCache(db);
  const items: QueueItem[] = [
    ...[...options.sources].map((id) => ({ id, kind: 'source' as const })),
    ...[...options.build].map((id) => ({ id, kind: 'build' as const })),
    ...[...options.tests].map((id) => ({ id, kind: 'test' as const })),
  ];

  const runItem = async (item: QueueItem): Promise<NodeResult[]> => {
    if (item.kind === 'source') {
      const source = project.sources.get(item.id)!;
      try {
        return await runSourceChecks(db, sourceCheckOf(source, resolver), options.asOf);
      } catch (err) {
        return [
          errorResult(`source_check.${item.id}`, `checking ${source.source_name}.${source.name} failed: ${errorMessage(err)}`, source),
        ];
      }
    }
    const node = project.nodes.get(item.id)!;
    if (item.kind === 'build') {
      if (!options.executor) throw new Error('internal: a build item without an executor');
      const r = await options.executor.execute(node as ModelNode | SeedNode, resolver);
      const rel = resolver.resolve(node as ModelNode | SeedNode);
      columns.forget(rel.schema, rel.identifier);
      // Ephemeral models are inlined where they are used: like dbt, no result of their own
      // unless they fail to compile.
      const ephemeral = node.resource_type === 'model' && node.config.materialized === 'ephemeral';
      return ephemeral && r.status === 'success' ? [] : [r];
    }
    const test = node as TestNode;
    const missing = await missingColumn(columns, project, test, resolver);
    if (missing) return [errorResult(test.unique_id, missing, test)];
    let compiled;
    try {
      compiled = await compileTest(project, test, resolver, templating);
    } catch (err) {
      return [errorResult(test.unique_id, `compiling the test failed: ${errorMessage(err)}`, test)];
    }
    options.onCompiled?.(test, compiled.sql);
    return [await runTest(db, compiled, { auditSchema: options.auditSchema })];
  };

  await runQueue(
    project,
    items,
    { threads: Math.max(1, options.threads), skipDescendants: options.skipDescendants },
    async (item) => {
      const rs = await runItem(item);
      results.push(...rs);
      for (const r of rs) logResult(log, r);
      return { blocking: rs.some(isBlocking) };
    },
    (item, cause) => {
      const node = project.nodes.get(item.id) ?? project.sources.get(item.id);
      const r = skippedResult(item.id, cause, node);
      results.push(r);
      logResult(log, r);
    },
  );
  return results;
}

const MARK: Record<NodeResult['status'], string> = {
  success: 'OK  ',
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  error: 'ERR ',
  skipped: 'SKIP',
};

function logResult(log: Logger, r: NodeResult): void {
  const where = r.file ? ` (${r.file}${r.line ? `:${r.line}` : ''})` : '';
  const msg = r.message ? `: ${r.message}` : '';
  const line = `${MARK[r.status]} ${r.unique_id}${msg}`;
  if (r.status === 'fail' || r.status === 'error') log.error(`${line}${where}`);
  else if (r.status === 'warn') log.warn(`${line}${where}`);
  else log.info(line);
}
