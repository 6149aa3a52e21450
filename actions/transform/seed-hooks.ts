/**
 * A seed's pre-hooks and post-hooks as dbt runs them, for the seed loader (../seed/run-seeds.ts,
 * which renders no templates itself): on the seed's session, the target schema selected first
 * (dbt-mysql's connection), then the hooks rendered when they run with `this` the seed's relation.
 */
import { useTargetSchema } from './materialize.ts';
import { hasHooks, nodeHookRunner } from './project/hooks.ts';
import { runtimeOf } from './project/project-runtime.ts';
import type { Project, RelationResolver } from './project/types.ts';
import type { SeedHooks } from '../seed/run-seeds.ts';

export function seedHooks(project: Project, resolver: RelationResolver): SeedHooks {
  return {
    of(seed, relation, session) {
      const run = nodeHookRunner(project, seed, resolver, relation, session);
      const on = hasHooks(seed);
      return {
        async pre() {
          if (!on) return;
          await useTargetSchema(session, runtimeOf(project).engine.targetSchema);
          await run('pre-hook');
        },
        post: () => run('post-hook'),
      };
    },
  };
}
