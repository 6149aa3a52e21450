import { runSeeds } from '../../../actions/seed/run-seeds.ts';
import { seedHooks } from '../../../actions/transform/seed-hooks.ts';
import { modelCommand, runSelectedNodes } from './model-command.ts';

export const seedCommand = modelCommand(
  {
    name: 'seed',
  },
  (ctx, s) => {
    const o = s.options;
    return runSelectedNodes(ctx, s, {
      command: 'seed',
      type: 'seed',
      describe: (count) => `seed ${count} seed(s)`,
      args: { select: o.select, exclude: o.exclude, full_refresh: o.fullRefresh },
      execute: (db, ids) =>
        runSeeds(s.project, db, {
          select: ids,
          resolver: s.resolver,
          metaSchema: ctx.schemas().meta,
          fullRefresh: o.fullRefresh,
          threads: o.threads,
          hooks: seedHooks(s.project, s.resolver),
          log: ctx.log,
        }),
    });
  },
);
