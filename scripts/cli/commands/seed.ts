import { writeRunResults } from '../../../actions/platform/run-results.ts';
import { buildManifest, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { runSeeds } from '../../../actions/seed/run-seeds.ts';
import { modelRunResults } from '../../../actions/transform/results.ts';
import type { CommandDef } from '../command.ts';
import { idsOf, loadProject, readModelOptions, selectFor } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const seedCommand: CommandDef = {
  name: 'seed',
  options: {
    ...SELECTION_OPTIONS,
  },
  async run(ctx, options) {
    const o = readModelOptions(options);
    const startedAt = new Date();
    const project = loadProject(ctx, o);
    const selection = selectFor(ctx, project, o);
    const resolver = publishedResolver(ctx.schemas());
    const ids = idsOf(project, selection, 'seed');
    writeManifest(ctx.targetDir, buildManifest(project, { resolver }));
    const db = await ctx.db({ connections: o.threads + 1 });
    // The exit code is what the lock records: a failed seed makes the run's row say 'error'.
    return ctx.withRunLock('seed', async () => {
      const results = await ctx.log.stage(`seed ${ids.length} seed(s)`, () =>
        runSeeds(project, db, {
          select: ids,
          resolver,
          metaSchema: ctx.schemas().meta,
          fullRefresh: o.fullRefresh,
          threads: o.threads,
          log: ctx.log,
        }),
      );
      writeRunResults(
        ctx.targetDir,
        modelRunResults('seed', results, startedAt, { select: o.select, exclude: o.exclude, full_refresh: o.fullRefresh }),
      );
      return results.some((r) => r.status === 'error') ? 1 : 0;
    });
  },
};
