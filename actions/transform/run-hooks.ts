/**
 * dbt's on-run-start / on-run-end hooks around a run, one piece for every command that runs them
 * (`run`, `seed`, `snapshot`, `build`, `test`, `daily`), in dbt's order (dbt-core's
 * `execute_with_hooks`, with `skip_nodes_if_on_run_start_fails` as dbt 1.12 and 2.0 have it):
 *
 *   on-run-start hooks in order — one failing skips the hooks after it and every node of the run
 *   the nodes (the command's own runner)
 *   on-run-end hooks in order, always — with `results` (what each node did; none when
 *   on-run-start failed) and `schemas` (the schemas of the relations built) in their context
 *
 * Each hook is a node result of its own (`operation.<project>.<project>-on-run-end-0`), as in
 * dbt's run_results; a failing hook is an error result, so the run fails (exit 1) and a
 * write-audit-publish run does not publish.
 */
import type { Db } from '../platform/db.ts';
import { errorMessage } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { nodeResult } from '../platform/node-result.ts';
import type { NodeResult } from '../platform/run-results.ts';
import { useTargetSchema } from './materialize.ts';
import { renderHook } from './project/hooks.ts';
import { runtimeOf } from './project/project-runtime.ts';
import type { Project, RelationResolver } from './project/types.ts';
import { queryRunner } from './project/warehouse.ts';

export type RunHookKind = 'on-run-start' | 'on-run-end';

export interface RunWithHooksOptions {
  readonly project: Project;
  readonly db: Db;
  /** Where the run builds: `this`-less hooks still render ref() and `schemas` with it. */
  readonly resolver: RelationResolver;
  /** What the run would run (unique_ids): each is a skipped result when an on-run-start hook fails. */
  readonly selected: Iterable<string>;
  /** Each hook's outcome is logged as a line. Default: not logged. */
  readonly log?: Logger;
}

/** Runs `runNodes` between the project's on-run-start and on-run-end hooks, as dbt does. */
export async function runWithRunHooks(o: RunWithHooksOptions, runNodes: () => Promise<NodeResult[]>): Promise<NodeResult[]> {
  const start = await runRunHooks('on-run-start', o.project, o.db, o.resolver, {}, o.log);
  const failed = start.findIndex((r) => r.status === 'error');
  const nodes = failed >= 0 ? skippedByStartHook(o.project, o.selected, failed) : await runNodes();
  // dbt gives on-run-end no results when on-run-start failed (nothing ran).
  const context = onRunEndContext(o.project, o.resolver, failed >= 0 ? [] : nodes);
  const end = await runRunHooks('on-run-end', o.project, o.db, o.resolver, context, o.log);
  return [...start, ...nodes, ...end];
}

/** A skipped result for every selected node that would have a result (ephemeral models have none). */
function skippedByStartHook(project: Project, selected: Iterable<string>, hookIndex: number): NodeResult[] {
  const now = new Date();
  const out: NodeResult[] = [];
  for (const id of new Set(selected)) {
    const n = project.nodes.get(id);
    if (n?.resource_type === 'model' && n.config.materialized === 'ephemeral') continue;
    out.push(
      nodeResult(
        id,
        'skipped',
        { startedAt: now, completedAt: now },
        { message: `skipped: on-run-start hook #${hookIndex + 1} failed`, file: n?.original_file_path },
      ),
    );
  }
  return out;
}

/** The `results` and `schemas` dbt gives on-run-end. */
export function onRunEndContext(project: Project, resolver: RelationResolver, results: readonly NodeResult[]): Record<string, unknown> {
  const schemas = new Set<string>();
  for (const r of results) {
    const n = project.nodes.get(r.unique_id);
    // dbt: the schemas of relational nodes (models, seeds, snapshots) that did not fail or skip.
    const relational = n && (n.resource_type === 'seed' || (n.resource_type === 'model' && n.config.materialized !== 'ephemeral'));
    if (relational && r.status === 'success') schemas.add(resolver.resolve(n).schema);
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

/**
 * Runs the project's hooks of one kind in order, on one session with the target schema selected
 * (dbt-mysql's connection: an unqualified table is the target schema's); after a failure the
 * rest are skipped (their results say so).
 */
export async function runRunHooks(
  kind: RunHookKind,
  project: Project,
  db: Db,
  resolver: RelationResolver,
  context: Record<string, unknown> = {},
  log?: Logger,
): Promise<NodeResult[]> {
  const hooks = kind === 'on-run-start' ? project.config.onRunStart : project.config.onRunEnd;
  if (hooks.length === 0) return [];
  return db.withSession(async (session) => {
    const out: NodeResult[] = [];
    let failed: number | undefined;
    for (const [i, hook] of hooks.entries()) {
      const id = `operation.${project.name}.${project.name}-${kind}-${i}`;
      const startedAt = new Date();
      const name = `${kind} hook #${i + 1}`;
      if (failed !== undefined) {
        out.push(
          nodeResult(id, 'skipped', { startedAt, completedAt: startedAt }, { message: `skipped: ${kind} hook #${failed + 1} failed` }),
        );
        log?.info(`SKIP ${name}`);
        continue;
      }
      try {
        // Selected before each hook: an earlier one may have created the schema.
        await useTargetSchema(session, runtimeOf(project).engine.targetSchema);
        const sql = (await renderHook(project, resolver, hook, `${kind} #${i + 1}`, { run: queryRunner(session), context })).trim();
        if (sql) await session.exec(sql);
        const message = sql ? 'OK' : 'OK (nothing to run)';
        out.push(nodeResult(id, 'success', { startedAt, completedAt: new Date() }, { message, compiledCode: sql }));
        log?.info(`OK   ${name}`);
      } catch (err) {
        const message = `${name} failed: ${errorMessage(err)}. To fix this, correct the hook in ${project.config.file ?? 'the project file'}.`;
        out.push(nodeResult(id, 'error', { startedAt, completedAt: new Date() }, { message }));
        log?.error(`ERR  ${message}`);
        failed = i;
      }
    }
    return out;
  });
}
