import { runBuild } from '../../../actions/daily/build-run.ts';
import { runFailed } from '../../../actions/transform/summary.ts';
import { buildManifest, writeManifest } from '../../../actions/transform/project/artifacts.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import type { CommandDef } from '../command.ts';
import { asOfTime, compiledWriter, finish, selectedIds, stage } from './build-common.ts';
import { loadProject, readModelOptions } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const buildCommand: CommandDef = {
  name: 'build',
  description: `Each node's tests run right after it; an error-severity failure skips the node's
descendants (warnings do not). With --publish every table is built in shadow schemas
(<schema>__shadow), tested there, and all layers are published in one RENAME TABLE only when
nothing failed; otherwise the published warehouse is untouched and the shadow is kept for
inspection until the next run. Exit 1 when anything failed.`,
  options: {
    ...SELECTION_OPTIONS,
    publish: {
      type: 'boolean',
      help: 'write-audit-publish: build in shadow schemas, test there, publish all layers in one RENAME only when no error-severity test failed',
    },
  },
  examples: ['pipeline build', 'pipeline build --publish', 'pipeline build --select +int_contracts'],
  async run(ctx, o) {
    const options = readModelOptions(o);
    const publish = o.publish === true;
    const project = loadProject(ctx, options);
    const selected = selectedIds(ctx, project, options, true);
    asOfTime(project); // a bad as_of_date is a usage error before anything runs
    writeManifest(ctx.targetDir, buildManifest(project, { resolver: publishedResolver(ctx.schemas()) }));
    const db = await ctx.db({ connections: options.threads + 2 });
    return ctx.withRunLock(publish ? 'build --publish' : 'build', async (lock) => {
      const startedAt = new Date();
      const run = await runBuild({
        project,
        db,
        schemas: ctx.schemas(),
        log: ctx.log,
        command: 'build',
        selected,
        publish: publish ? { beforeSwap: () => lock.assertHeld(), afterSwap: () => lock.markPublished() } : undefined,
        fullRefresh: options.fullRefresh,
        asOf: asOfTime(project),
        threads: options.threads,
        targetDir: ctx.targetDir,
        onCompiled: compiledWriter(ctx, project),
      });
      const failed = runFailed(run.results, run.publish);
      const stages = [stage('build', startedAt, failed ? 'error' : 'success')];
      return finish(ctx, {
        invocationId: lock.runId,
        command: publish ? 'build --publish' : 'build',
        startedAt,
        args: { ...options, publish },
        results: run.results,
        stages,
        publish: run.publish,
        tables: run.tables,
        failed,
      });
    });
  },
};
