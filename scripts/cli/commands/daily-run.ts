/**
 * `daily` itself, imported when it runs (see daily.ts): read the options, resolve the dump, check
 * the project, run the job under the run lock, write target/run_results.json and report.md —
 * whatever fails.
 */
import { runDaily } from '../../../actions/daily/daily-run.ts';
import { planRun } from '../../../actions/daily/build-run.ts';
import { customTestNames } from '../../../actions/transform/data-tests/test-templating.ts';
import { validateTests } from '../../../actions/transform/data-tests/validate-tests.ts';
import { resolveDumpSource } from '../../../actions/load/dump-source.ts';
import { explainDbFailure } from '../../../actions/platform/db-errors.ts';
import { ConfigError, errorMessage, UsageError } from '../../../actions/platform/errors.ts';
import { buildManifest, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import type { TestNode } from '../../../actions/transform/project/types.ts';
import type { ParsedOptions } from '../command.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { parseDate, parseInteger } from '../values.ts';
import { asOfTime, compiledWriter, finish, selectedIds, stage } from './build-common.ts';
import { createS3Client, loadS3Sdk } from '../aws-clients.ts';
import { writeRunReport } from './report.ts';
import { loadProject, readModelOptions } from './model-options.ts';

/**
 * Test hook: milliseconds to wait right before the publishing RENAME, after logging that it is
 * about to happen (the fault tests kill the process in that window). Unset in real runs.
 */
export const PAUSE_BEFORE_PUBLISH_ENV = 'PIPELINE_PAUSE_BEFORE_PUBLISH_MS';
/** Test hook: the same, right after the publishing RENAME (before the load's hashes are recorded). */
export const PAUSE_AFTER_PUBLISH_ENV = 'PIPELINE_PAUSE_AFTER_PUBLISH_MS';

function pauseHook(ctx: CliContext, variable: string, what: string): (() => Promise<void>) | undefined {
  const ms = Number(ctx.io.env[variable] ?? 0);
  if (!(ms > 0)) return undefined;
  return async () => {
    ctx.log.info(`${what}: pausing ${ms} ms (${variable})`);
    await new Promise((resolve) => setTimeout(resolve, ms));
  };
}

export async function runDailyCommandWithResults(ctx: CliContext, o: ParsedOptions): Promise<number> {
  // Whatever fails (the dump, the database, the server), the results and the report say so.
  const state: RunState = { startedAt: new Date(), args: { dump: o.dump }, written: false };
  try {
    return await runDailyCommand(ctx, o, state);
  } catch (err) {
    // Misuse found before the run began (a bad option, a selection of nothing) is not a failed
    // morning: one line, exit 2, nothing written. Everything else is reported.
    const misuse = err instanceof UsageError && state.runId === undefined;
    if (!state.written && !misuse) await writeFailedRun(ctx, state, err);
    throw err;
  }
}

/** The results and report of a run that failed before it had its own (the cause is rethrown). */
function writeFailedRun(ctx: CliContext, state: RunState, err: unknown): Promise<void> {
  try {
    finish(ctx, {
      invocationId: state.runId,
      command: 'daily',
      startedAt: state.startedAt,
      args: state.args,
      results: [],
      stages: [stage(state.stage ?? 'prepare', state.startedAt, 'error', errorMessage(explainDbFailure(err) ?? err))],
      failed: true,
    });
  } catch (e) {
    ctx.log.warn(`the results could not be written: ${errorMessage(e)}`);
  }
  return writeRunReport(ctx);
}

/** How far a daily run got, for the results written when it fails. */
interface RunState {
  startedAt: Date;
  args: Record<string, unknown>;
  runId?: string;
  stage?: string;
  /** The results were written (by the run itself). */
  written: boolean;
}

async function runDailyCommand(ctx: CliContext, o: ParsedOptions, state: RunState): Promise<number> {
  const options = readModelOptions(o);
  const date = o.date === undefined ? undefined : parseDate('date', o.date as string);
  const dryRun = o['dry-run'] === true;
  const loadThreads = o['load-threads'] === undefined ? undefined : parseInteger('load-threads', o['load-threads'] as string, 1, 64);
  const config = ctx.config();
  const spec = (o.dump as string | undefined) ?? config.staging.dump;
  if (!spec)
    throw new UsageError("'daily' needs --dump SOURCE (or staging.dump in pipeline.yml). Run 'pipeline daily --help' for its usage.");
  state.stage = 'load';
  if (spec.startsWith('s3://')) await loadS3Sdk();
  const source = await resolveDumpSource(spec, { date, s3: () => createS3Client(ctx.io.env), log: (m) => ctx.log.warn(m) });
  const dumpDate = date ?? source.date;
  const asOfVar = dumpDate ? { as_of_date: `${dumpDate.slice(0, 4)}-${dumpDate.slice(4, 6)}-${dumpDate.slice(6, 8)}` } : {};
  if (!dumpDate)
    ctx.log.warn(
      `the dump's name ${source.name} has no date (gghouse_YYYYMMDD): as_of_date comes from pipeline.yml; pass --date to set it`,
    );
  // The dump's date is the as-of date; an explicit --vars as_of_date still wins.
  state.stage = 'prepare';
  const project = loadProject(ctx, { ...options, vars: { ...asOfVar, ...options.vars } });
  const selected = selectedIds(ctx, project, options, true);
  const asOf = asOfTime(project); // a bad as_of_date is a usage error before anything is loaded
  // Wrong test arguments are a project error before anything is loaded.
  const plan = planRun(project, 'build', selected);
  const problems = validateTests(
    project,
    [...plan.tests].map((id) => project.nodes.get(id) as TestNode),
    customTestNames(project),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  writeManifest(ctx.targetDir, buildManifest(project, { resolver: publishedResolver(ctx.schemas()) }));
  const db = await ctx.db({ connections: Math.max(options.threads + 2, (loadThreads ?? 8) + 1) });
  return ctx.withRunLock(
    dryRun ? 'daily --dry-run' : 'daily',
    async (lock) => {
      const startedAt = new Date();
      const args = { ...options, dump: source.name, as_of_date: project.vars.as_of_date, dry_run: dryRun };
      Object.assign(state, { args, runId: lock.runId, startedAt });
      let r;
      try {
        r = await runDaily({
          project,
          db,
          schemas: ctx.schemas(),
          log: ctx.log,
          source,
          asOf,
          selected,
          dryRun,
          loadThreads: loadThreads ?? config.staging.threads,
          withRoutines: o['with-routines'] === true,
          threads: options.threads,
          fullRefresh: options.fullRefresh,
          targetDir: ctx.targetDir,
          runId: lock.runId,
          onCompiled: compiledWriter(ctx, project),
          beforeSwap: async () => {
            await lock.assertHeld();
            await pauseHook(ctx, PAUSE_BEFORE_PUBLISH_ENV, 'about to publish')?.();
          },
          afterSwap: async () => {
            // The warehouse changed now: rollback status offers just before this as a restore point.
            await lock.markPublished();
            await pauseHook(ctx, PAUSE_AFTER_PUBLISH_ENV, 'published, hashes not yet recorded')?.();
          },
        });
      } catch (err) {
        if (err instanceof ConfigError) {
          // A project error found once the dump was loaded (a tested column the dump lacks):
          // the results still say so, then the CLI exits 2.
          finish(ctx, {
            invocationId: lock.runId,
            command: 'daily',
            startedAt,
            args,
            results: [],
            stages: [{ name: 'build', status: 'error', startedAt: startedAt.toISOString(), durationSeconds: 0, message: err.message }],
            failed: true,
          });
          await writeRunReport(ctx);
          state.written = true;
        }
        throw err;
      }
      const code = finish(ctx, {
        invocationId: lock.runId,
        command: 'daily',
        startedAt,
        args,
        results: r.results,
        stages: r.stages,
        load: r.load,
        publish: r.publish,
        tables: r.tables,
        failed: r.failed,
      });
      state.written = true;
      // The report is written whatever happened: it is how a failed morning is explained.
      await writeRunReport(ctx);
      return code;
    },
    source.name,
  );
}
