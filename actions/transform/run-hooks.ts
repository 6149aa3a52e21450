/**
 * dbt's on-run-start / on-run-end hooks around a run: on-run-start before the first node (one
 * failing fails the run, and nothing is built), on-run-end after the last, with dbt's `results`
 * (what each node did) and `schemas` (the schemas the run built into) in its context. Each hook is
 * a node result of its own (`operation.<project>.<project>-on-run-end-0`), as in dbt's run_results.
 */
import type { Db } from '../platform/db.ts';
import { errorMessage } from '../platform/errors.ts';
import { nodeResult } from '../platform/node-result.ts';
import type { NodeResult } from '../platform/run-results.ts';
import { renderHook } from './project/hooks.ts';
import type { Project, RelationResolver } from './project/types.ts';
import { queryRunner } from './project/warehouse.ts';

export type RunHookKind = 'on-run-start' | 'on-run-end';

/** The `results` and `schemas` dbt gives on-run-end. */
export function onRunEndContext(project: Project, resolver: RelationResolver, results: readonly NodeResult[]): Record<string, unknown> {
  const schemas = new Set<string>();
  for (const r of results) {
    const n = project.nodes.get(r.unique_id);
    if (n && (n.resource_type === 'model' || n.resource_type === 'seed') && r.status === 'success') schemas.add(resolver.resolve(n).schema);
  }
  return {
    schemas: [...schemas].sort(),
    results: results.map((r) => {
      const n = project.nodes.get(r.unique_id);
      return {
        status: r.status,
        message: r.message,
        failures: r.failures,
        execution_time: r.execution_time,
        unique_id: r.unique_id,
        node: { unique_id: r.unique_id, name: n?.name ?? r.unique_id, resource_type: n?.resource_type ?? r.unique_id.split('.')[0] },
      };
    }),
  };
}

/** Runs the project's hooks of one kind in order; stops at the first failure (its result says which). */
export async function runRunHooks(
  kind: RunHookKind,
  project: Project,
  db: Db,
  resolver: RelationResolver,
  context: Record<string, unknown> = {},
): Promise<NodeResult[]> {
  const hooks = kind === 'on-run-start' ? project.config.onRunStart : project.config.onRunEnd;
  const out: NodeResult[] = [];
  for (const [i, hook] of hooks.entries()) {
    const id = `operation.${project.name}.${project.name}-${kind}-${i}`;
    const startedAt = new Date();
    try {
      const sql = (await renderHook(project, resolver, hook, `${kind} #${i + 1}`, { run: queryRunner(db), context })).trim();
      if (sql) await db.exec(sql);
      out.push(
        nodeResult(
          id,
          'success',
          { startedAt, completedAt: new Date() },
          { message: sql ? 'OK' : 'OK (nothing to run)', compiledCode: sql },
        ),
      );
    } catch (err) {
      const message = `${kind} hook #${i + 1} failed: ${errorMessage(err)}. To fix this, correct the hook in ${project.config.file ?? 'the project file'}.`;
      out.push(nodeResult(id, 'error', { startedAt, completedAt: new Date() }, { message }));
      break;
    }
  }
  return out;
}
