/**
 * `run`: the selected models built in DAG order, independent ones at the same time on the
 * connection pool. A model starts when every selected parent succeeded; a failed model skips its
 * descendants and the rest go on. Each model's compiled SQL is written to target/compiled/ before
 * it runs, so an error can point at the exact SQL the server saw.
 */
import { nodeHookRunner } from './project/hooks.ts';
import type { Db } from '../platform/db.ts';
import { errorMessage } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { formatDuration } from '../platform/log.ts';
import { compileNodeRunning } from './project/compile.ts';
import { queryRunner } from './project/warehouse.ts';
import { writeCompiled } from './project/artifacts.ts';
import type { ModelNode, Project, RelationResolver } from './project/types.ts';
import type { NodeResult } from '../platform/run-results.ts';
import { materialize } from './materialize.ts';
import { runtimeOf } from './project/project-runtime.ts';
import { nodeResult } from '../platform/node-result.ts';

export interface RunModelsOptions {
  /** unique_ids of the models to build (non-models are ignored). */
  readonly select: readonly string[];
  readonly resolver: RelationResolver;
  /** Models built at once. Default 4. The pool should have at least this many connections. */
  readonly threads?: number;
  readonly fullRefresh?: boolean;
  /** Where compiled SQL is written (target/). Default: not written. */
  readonly targetDir?: string;
  readonly log: Logger;
}

export async function runModels(project: Project, db: Db, o: RunModelsOptions): Promise<NodeResult[]> {
  const models = new Map<string, ModelNode>();
  for (const id of o.select) {
    const n = project.nodes.get(id);
    if (n?.resource_type === 'model') models.set(id, n);
  }
  // Parents among the selected models, seen through ephemeral models that are not selected.
  const parents = new Map<string, string[]>();
  const selectedParents = (id: string, seen = new Set<string>()): string[] => {
    const out: string[] = [];
    for (const p of project.parent_map[id] ?? []) {
      if (seen.has(p)) continue;
      seen.add(p);
      if (models.has(p)) out.push(p);
      else {
        const pn = project.nodes.get(p);
        if (pn?.resource_type === 'model' && pn.config.materialized === 'ephemeral') out.push(...selectedParents(p, seen));
      }
    }
    return out;
  };
  for (const id of models.keys()) parents.set(id, selectedParents(id));

  const results = new Map<string, NodeResult>();
  const state = new Map<string, 'pending' | 'running' | 'done'>([...models.keys()].map((id) => [id, 'pending']));
  const executable = [...models.values()].filter((m) => m.config.materialized !== 'ephemeral').length;
  let finished = 0;
  const threads = Math.max(1, o.threads ?? 4);

  await new Promise<void>((resolveAll) => {
    let running = 0;
    const pump = () => {
      for (const [id, s] of state) {
        if (s !== 'pending') continue;
        const ps = parents.get(id)!;
        const failed = ps.find((p) => state.get(p) === 'done' && results.get(p)?.status !== 'success');
        if (failed) {
          state.set(id, 'done');
          const m = models.get(id)!;
          const now = new Date();
          const upstream = results.get(failed)?.status === 'skipped' ? `${failed} was skipped` : `${failed} failed`;
          results.set(
            id,
            nodeResult(
              id,
              'skipped',
              { startedAt: now, completedAt: now },
              { message: `skipped: upstream ${upstream}`, file: m.original_file_path },
            ),
          );
          if (m.config.materialized !== 'ephemeral') {
            finished++;
            o.log.info(`  ${finished} of ${executable} SKIP ${m.name} (upstream ${upstream})`);
          }
          continue;
        }
        if (running >= threads || !ps.every((p) => state.get(p) === 'done')) continue;
        state.set(id, 'running');
        running++;
        void buildModelNode(project, db, models.get(id)!, o).then((r) => {
          if (r.status === 'error') o.log.error(r.message!);
          results.set(id, r);
          state.set(id, 'done');
          running--;
          const m = models.get(id)!;
          if (m.config.materialized !== 'ephemeral') {
            finished++;
            const tag = r.status === 'success' ? 'OK' : 'ERROR';
            const detail = `${r.message?.split('\n')[0] ?? ''} in ${formatDuration(r.execution_time * 1000)}`;
            o.log.info(`  ${finished} of ${executable} ${tag} ${m.config.materialized} ${m.name} [${detail}]`);
          }
          pump();
        });
      }
      // A pass can settle skips that unblock nothing new; loop until nothing changes.
      if ([...state.values()].every((s) => s === 'done')) resolveAll();
      else if (
        running === 0 &&
        [...state.entries()].some(([id, s]) => s === 'pending' && parents.get(id)!.every((p) => state.get(p) === 'done'))
      )
        pump();
    };
    pump();
  });
  // Ephemeral models are inlined, not run: like dbt, they get no result of their own.
  return [...models.keys()].filter((id) => models.get(id)!.config.materialized !== 'ephemeral').map((id) => results.get(id)!);
}

/** What building one model needs: where it goes, and whether and where its compiled SQL is kept. */
export interface BuildModelOptions {
  readonly resolver: RelationResolver;
  readonly fullRefresh?: boolean;
  /** Where compiled SQL is written (target/). Default: not written. */
  readonly targetDir?: string;
}

/**
 * One model built through its materialization (`run`, and `build`/`daily` through the engine's
 * executor): a success with what it did, or an error naming the file, the server's message and
 * the compiled SQL. A failed model never replaces the relation it was building.
 */
export async function buildModelNode(project: Project, db: Db, node: ModelNode, o: BuildModelOptions): Promise<NodeResult> {
  const startedAt = new Date();
  let compiledAt: Date | undefined;
  let compiledPath: string | undefined;
  let compiledCode: string | undefined;
  const relation = o.resolver.resolve(node);
  try {
    const r = await db.withSession((session) =>
      materialize(session, node, relation, {
        fullRefresh: o.fullRefresh,
        targetSchema: runtimeOf(project).engine.targetSchema,
        compile: (isIncremental) => compileNodeRunning(project, node.unique_id, o.resolver, queryRunner(session), { isIncremental }),
        snapshotTime: runtimeOf(project).engine.callMacro('snapshot_get_time', [], 'snapshot_get_time'),
        runHooks: nodeHookRunner(project, node, o.resolver, relation, session),
        onCompiled: (sql) => {
          compiledAt = new Date();
          compiledCode = sql;
          if (o.targetDir) compiledPath = writeCompiled(o.targetDir, project, node, sql);
        },
      }),
    );
    if (node.config.materialized === 'ephemeral' && o.targetDir) writeCompiled(o.targetDir, project, node, r.sql);
    return nodeResult(
      node.unique_id,
      'success',
      { startedAt, compiledAt, completedAt: new Date() },
      {
        message: r.message,
        rows: r.rows,
        adapter: r.adapter,
        file: node.original_file_path,
        relation: `${relation.schema}.${relation.identifier}`,
        compiledCode: compiledCode ?? r.sql,
      },
    );
  } catch (err) {
    const where = compiledPath ? ` Compiled SQL: ${compiledPath}.` : '';
    const message =
      `model ${node.name} (${node.original_file_path}) failed: ` +
      `${errorMessage(err)}.${where} ${relation.schema}.${relation.identifier} was left as it was. To fix this, ` +
      `correct the model and run it again.`;
    return nodeResult(
      node.unique_id,
      'error',
      { startedAt, compiledAt, completedAt: new Date() },
      { message, file: node.original_file_path, relation: `${relation.schema}.${relation.identifier}`, compiledCode },
    );
  }
}
