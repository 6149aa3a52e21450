import { writeRunResults } from '../../../actions/platform/run-results.ts';
import { buildManifest, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { runModels } from '../../../actions/transform/run-models.ts';
import { modelRunResults } from '../../../actions/transform/results.ts';
import type { CommandDef } from '../command.ts';
import { idsOf, loadProject, readModelOptions, selectFor } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const runCommand: CommandDef = {
  name: 'run',
  options: {
    ...SELECTION_OPTIONS,
  },
  async run(ctx, options) {
    const o = readModelOptions(options);
    const startedAt = new Date();
    const project = loadProject(ctx, o);
    const selection = selectFor(ctx, project, o);
    const resolver = publishedResolver(ctx.schemas());
    const ids = idsOf(project, selection, 'model');
    writeManifest(ctx.targetDir, buildManifest(project, { resolver }));
    const db = await ctx.db({ connections: o.threads + 1 });
    // The exit code is what the lock records: a failed model makes the run's row say 'error'.
    return ctx.withRunLock('run', async () => {
      const results = await ctx.log.stage(`run ${ids.length} model(s) on ${o.threads} thread(s)`, () =>
        runModels(project, db, {
          select: ids,
          resolver,
          threads: o.threads,
          fullRefresh: o.fullRefresh,
          targetDir: ctx.targetDir,
          log: ctx.log,
        }),
      );
      writeRunResults(
        ctx.targetDir,
        modelRunResults('run', results, startedAt, {
          select: o.select,
          exclude: o.exclude,
          full_refresh: o.fullRefresh,
          threads: o.threads,
        }),
      );
      const errors = results.filter((r) => r.status === 'error').length;
      const skipped = results.filter((r) => r.status === 'skipped').length;
      ctx.log.info(`done: ${results.length - errors - skipped} ok, ${errors} error(s), ${skipped} skipped`);
      return errors > 0 ? 1 : 0;
    });
  },
};
