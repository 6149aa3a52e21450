/**
 * dbt's hooks. The `pre-hook` / `post-hook` of a model, a seed or a snapshot (from
 * dbt_project.yml's models:/seeds:/snapshots: tree and the node's config, strings or lists) run
 * right before and after it is built, in dbt's order: dbt_project.yml's first, then the node's,
 * each in the order written; each is rendered when it runs, with `this` the relation being built
 * (and run_query / statement answered by the warehouse). A failing hook fails its node. Data
 * tests take no hooks (dbt runs none; config-tree.ts warns). `on-run-start` / `on-run-end`
 * (../run-hooks.ts) run around the whole run.
 * https://docs.getdbt.com/docs/build/hooks-operations
 */
import { resolvingHooks } from './compile.ts';
import { runtimeOf } from './project-runtime.ts';
import type { Project, Relation, RelationResolver } from './types.ts';
import { queryRunner, renderWithWarehouse, type QueryRunner } from './warehouse.ts';

/** A hook as written: SQL text, or dbt's `{sql: ..., transaction: ...}`. */
export function hookList(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
  return list
    .map((h) => (h && typeof h === 'object' && 'sql' in h ? String((h as { sql: unknown }).sql) : String(h)))
    .filter((h) => h.trim() !== '');
}

export interface HookOptions {
  /** `this` while rendering (a model's relation); none for on-run hooks. */
  this?: Relation;
  /** Extra context: on-run-end's `results` and `schemas`. */
  context?: Record<string, unknown>;
  run: QueryRunner;
}

/** Renders one hook at run time; the SQL to run (may be empty: a hook that only did `{% do %}`). */
export function renderHook(project: Project, resolver: RelationResolver, sql: string, name: string, o: HookOptions): Promise<string> {
  const { engine } = runtimeOf(project);
  const template = engine.compile(sql, name);
  return renderWithWarehouse(
    (warehouse) => engine.render(template, name, resolvingHooks(project, resolver, { this: o.this, warehouse }), o.context ?? {}),
    o.run,
  );
}

/** Renders and runs each hook in order; throws naming the hook that failed. */
export async function runHookList(
  project: Project,
  resolver: RelationResolver,
  hooks: readonly string[],
  label: string,
  exec: (sql: string) => Promise<unknown>,
  o: HookOptions,
): Promise<number> {
  let ran = 0;
  for (const [i, hook] of hooks.entries()) {
    const name = `${label} #${i + 1}`;
    let sql: string;
    try {
      sql = (await renderHook(project, resolver, hook, name, o)).trim();
      if (sql) await exec(sql);
    } catch (err) {
      throw new Error(`${name} failed: ${(err as Error).message}`);
    }
    if (sql) ran++;
  }
  return ran;
}

/** Whether a node has pre-hooks or post-hooks to run. */
export function hasHooks(node: { config: Readonly<Record<string, unknown>> }): boolean {
  return hookList(node.config['pre-hook']).length > 0 || hookList(node.config['post-hook']).length > 0;
}

/** The `runHooks` of a node being built: its pre-hooks or post-hooks, on the node's session. */
export function nodeHookRunner(
  project: Project,
  node: { name: string; config: Readonly<Record<string, unknown>> },
  resolver: RelationResolver,
  relation: Relation,
  session: { exec(sql: string): Promise<unknown>; query(sql: string): Promise<unknown[]> },
): (which: 'pre-hook' | 'post-hook') => Promise<void> {
  return async (which) => {
    const hooks = hookList(node.config[which]);
    if (hooks.length === 0) return;
    await runHookList(project, resolver, hooks, `${which} of ${node.name}`, (sql) => session.exec(sql), {
      this: relation,
      run: queryRunner(session),
    });
  };
}
