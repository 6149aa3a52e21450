import { runModels } from '../../../actions/transform/run-models.ts';
import { modelCommand, runSelectedNodes } from './model-command.ts';

export const runCommand = modelCommand(
  {
    name: 'run',
  },
  (ctx, s) => {
    const o = s.options;
    return runSelectedNodes(ctx, s, {
      command: 'run',
      type: 'model',
      describe: (count) => `run ${count} model(s) on ${o.threads} thread(s)`,
      args: { select: o.select, exclude: o.exclude, full_refresh: o.fullRefresh, threads: o.threads },
      execute: (db, ids) =>
        runModels(s.project, db, {
          select: ids,
          resolver: s.resolver,
          threads: o.threads,
          fullRefresh: o.fullRefresh,
          targetDir: ctx.targetDir,
          log: ctx.log,
        }),
      finished(results) {
        // Models are counted; a failed on-run-* hook (operation.*) is an error too.
        const models = results.filter((r) => !r.unique_id.startsWith('operation.'));
        const ok = models.filter((r) => r.status === 'success').length;
        const errors = results.filter((r) => r.status === 'error').length;
        const skipped = models.filter((r) => r.status === 'skipped').length;
        ctx.log.info(`done: ${ok} ok, ${errors} error(s), ${skipped} skipped`);
      },
    });
  },
);
