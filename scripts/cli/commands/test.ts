import { runBuild } from '../../../actions/daily/build-run.ts';
import { runFailed } from '../../../actions/transform/summary.ts';
import type { CommandDef } from '../command.ts';
import { asOfTime, compiledWriter, finish, selectedIds, stage } from './build-common.ts';
import { loadProject, readModelOptions } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

export const testCommand: CommandDef = {
  name: 'test',
  description: `Tests read the published warehouse. A test on a column that does not exist, an
accepted_values test without values or a relationships test whose target does not exist is a
project error (exit 2) before anything runs. Exit 1 when a check or an error-severity test fails.`,
  options: {
    ...SELECTION_OPTIONS,
  },
  async run(ctx, o) {
    const options = readModelOptions(o);
    const project = loadProject(ctx, options);
    const selected = selectedIds(ctx, project, options);
    const db = await ctx.db({ connections: options.threads + 1 });
    return ctx.withRunLock('test', async (lock) => {
      const startedAt = new Date();
      const { results } = await runBuild({
        project,
        db,
        schemas: ctx.schemas(),
        log: ctx.log,
        command: 'test',
        selected,
        asOf: asOfTime(project),
        threads: options.threads,
        onCompiled: compiledWriter(ctx, project),
      });
      const failed = runFailed(results);
      return finish(ctx, {
        invocationId: lock.runId,
        command: 'test',
        startedAt,
        args: { ...options },
        results,
        stages: [stage('test', startedAt, failed ? 'error' : results.some((r) => r.status === 'warn') ? 'warn' : 'success')],
        failed,
      });
    });
  },
};
