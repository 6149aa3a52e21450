/**
 * `daily`: the scheduled job. Load the dump into the staging shadow (the loader's own swap
 * deferred), build every layer in shadow schemas reading that staging, test there, and publish
 * staging, seeds, silver and gold in ONE RENAME TABLE — only when nothing failed. The caller
 * writes the results (target/run_results.json) in every case: a stage that fails with an
 * operational error (the dump, the database, a failing test) gives a failed result, not an
 * exception, so the stages that ran and their timings are in the results too.
 */
import type { Db } from '../platform/db.ts';
import { explainDbFailure } from '../platform/db-errors.ts';
import { ConfigError, errorMessage, PipelineError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { Project, TestNode } from '../transform/project/types.ts';
import type { LoadResult, NodeResult, PublishResult, StageResult, TableCount } from '../platform/run-results.ts';
import { stagingCounts } from '../platform/table-counts.ts';
import type { Schemas } from '../platform/schemas.ts';
import type { DumpSource } from '../load/dump-source.ts';
import { loadDump } from '../load/load-dump.ts';
import { failedLoadResult } from '../load/load-results.ts';
import { type DumpFingerprint, recordLoadHashes } from '../platform/load-hashes.ts';
import type { SwapPlan } from '../platform/shadow-swap.ts';
import { recordRunHistory } from '../platform/run-history.ts';
import { planRun, runBuild, runLayers } from './build-run.ts';
import { cleanLeftovers, notPublished } from '../publish/publish.ts';
import { runFailed } from '../transform/summary.ts';

export interface DailyOptions {
  readonly project: Project;
  readonly db: Db;
  readonly schemas: Schemas;
  readonly log: Logger;
  readonly source: DumpSource;
  /** The run's as-of time (the dump's date). */
  readonly asOf: Date;
  readonly selected?: ReadonlySet<string>;
  /** Build and test in the shadow, but do not publish. */
  readonly dryRun?: boolean;
  readonly loadThreads?: number;
  readonly withRoutines?: boolean;
  readonly threads: number;
  readonly fullRefresh?: boolean;
  readonly targetDir?: string;
  readonly onCompiled?: (test: TestNode, sql: string) => void;
  readonly beforeSwap?: () => Promise<void>;
  readonly afterSwap?: () => Promise<void>;
  /** The run's id (the run lock's): its results and row counts are recorded under it for the docs site's history. Unset: not recorded. */
  readonly runId?: string;
}

export interface DailyResult {
  stages: StageResult[];
  load?: LoadResult;
  results: NodeResult[];
  publish: PublishResult;
  /** Row counts: staging tables of the load, then the relations built. */
  tables: TableCount[];
  failed: boolean;
}

async function timed<T>(stages: StageResult[], name: string, fn: () => Promise<T>, status: (t: T) => StageResult['status']): Promise<T> {
  const started = new Date();
  try {
    const t = await fn();
    stages.push({ name, status: status(t), startedAt: started.toISOString(), durationSeconds: (Date.now() - started.getTime()) / 1000 });
    return t;
  } catch (err) {
    stages.push({
      name,
      status: 'error',
      startedAt: started.toISOString(),
      durationSeconds: (Date.now() - started.getTime()) / 1000,
      message: errorMessage(err),
    });
    throw err;
  }
}

export async function runDaily(o: DailyOptions): Promise<DailyResult> {
  const { project, db, schemas, log } = o;
  const stages: StageResult[] = [];
  const plan = planRun(project, 'build', o.selected);
  const layers = runLayers(project, schemas, plan.build, true);
  // Leftovers of an earlier run (a failed run's shadow kept for inspection, a killed run's
  // old schemas) go first, staging's included: the load below fills a fresh shadow.
  let outcome;
  try {
    outcome = await timed(
      stages,
      'load',
      async () => {
        const cleaned = await cleanLeftovers(db, layers);
        if (cleaned.length > 0) log.info(`removed leftovers of an earlier run: ${cleaned.join(', ')}`);
        return log.stage(`load ${o.source.name} into the shadow of ${schemas.staging}`, () =>
          loadDump(
            db,
            {
              source: o.source,
              schema: schemas.staging,
              shadowSchema: schemas.shadow(project.config.staging.schema),
              oldSchema: schemas.old(project.config.staging.schema),
              metaSchema: schemas.meta,
              threads: o.loadThreads,
              withRoutines: o.withRoutines,
              publish: false,
            },
            log,
          ),
        );
      },
      () => 'success',
    );
  } catch (err) {
    const message = operational(err);
    log.error(message);
    return {
      stages,
      results: [],
      load: failedLoadResult(o.source.name, schemas.staging, message),
      publish: await notPublishedSafely(db, layers, `the ${stages.at(-1)?.name ?? 'load'} failed: ${message}`),
      tables: [],
      failed: true,
    };
  }
  const { plan: swap, fingerprint, ...load } = outcome;
  try {
    return await buildAndPublish(o, stages, swap, load, fingerprint);
  } catch (err) {
    const message = operational(err);
    log.error(message);
    return {
      stages,
      load: { ...load, published: false },
      results: [],
      publish: await notPublishedSafely(db, layers, `the ${stages.at(-1)?.name ?? 'build'} failed: ${message}`),
      tables: [],
      failed: true,
    };
  }
}

/** An operational error's message; a project error or a bug is thrown on (the caller reports those). */
function operational(err: unknown): string {
  if (err instanceof ConfigError) throw err;
  const known = err instanceof PipelineError ? err : explainDbFailure(err);
  if (!known) throw err;
  return errorMessage(known);
}

/** Why nothing was published, and which shadow schemas are kept; the database may be what failed. */
async function notPublishedSafely(db: Db, layers: Parameters<typeof notPublished>[1], reason: string): Promise<PublishResult> {
  try {
    return await notPublished(db, layers, reason);
  } catch {
    return { published: false, tables: 0, reason: `${reason}. Nothing was published.` };
  }
}

async function buildAndPublish(
  o: DailyOptions,
  stages: StageResult[],
  swap: SwapPlan,
  load: LoadResult,
  fingerprint: DumpFingerprint | undefined,
): Promise<DailyResult> {
  const loaded = load.tables;
  const { project, db, schemas, log } = o;
  const run = await timed(
    stages,
    o.dryRun ? 'build (dry run)' : 'build and publish',
    () =>
      runBuild({
        project,
        db,
        schemas,
        log,
        command: 'build',
        selected: o.selected,
        publish: { dryRun: o.dryRun, staging: swap, beforeSwap: o.beforeSwap, afterSwap: o.afterSwap },
        fullRefresh: o.fullRefresh,
        asOf: o.asOf,
        threads: o.threads,
        targetDir: o.targetDir,
        onCompiled: o.onCompiled,
      }),
    (r) => (runFailed(r.results, r.publish, o.dryRun) ? 'error' : r.results.some((x) => x.status === 'warn') ? 'warn' : 'success'),
  );
  const publish = run.publish!;
  // Before the hashes move on: the previous counts are the last published load's.
  const staging = await stagingCounts(db, schemas.meta, schemas.staging, loaded);
  if (publish.published) {
    // What is published now is described by these hashes (the next load skips unchanged tables).
    await recordLoadHashes(db, schemas.meta, schemas.staging, loaded, fingerprint);
  }
  if (o.runId) {
    const history = { results: run.results, tables: publish.published ? [...staging, ...run.tables] : [] };
    await recordRunHistory(db, schemas.meta, o.runId, history).catch((e) =>
      log.warn(`the run's history was not recorded: ${errorMessage(e)}`),
    );
  }
  return {
    stages,
    load: { ...load, published: publish.published },
    results: run.results,
    publish,
    tables: [...staging, ...run.tables],
    failed: runFailed(run.results, publish, o.dryRun),
  };
}
