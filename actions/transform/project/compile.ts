/**
 * Compiling a model or singular test to SQL against a RelationResolver: `ref()`/`source()`/`this`
 * become physical relations, ephemeral models are inlined as CTEs (`__dbt__cte__name`), the way
 * dbt does it. The templates were compiled once when the project was read; this only renders.
 * `resolvingHooks` is the one place where ref()/source() are answered at compile time: models,
 * singular tests and custom generic tests all render through it.
 */
import { quoteIdent } from '../../platform/db.ts';
import { runtimeOf } from './project-runtime.ts';
import type { Warehouse } from './dbt-context.ts';
import type { RenderHooks } from './templating.ts';
import { renderWithWarehouse, type QueryRunner } from './warehouse.ts';
import type { ModelNode, Project, Relation, RelationResolver, SeedNode, SourceNode, TestNode } from './types.ts';

export interface CompileOptions {
  /** What `is_incremental()` answers. Default false. */
  isIncremental?: boolean;
  /** The database while running (`execute` is true). Default: none, as while parsing. */
  warehouse?: Warehouse;
}

const namedCache = new WeakMap<Project, Map<string, ModelNode | SeedNode>>();

/** Models and seeds by name (what `ref()` looks up). */
export function nodesByName(project: Project): Map<string, ModelNode | SeedNode> {
  let m = namedCache.get(project);
  if (!m) {
    m = new Map();
    for (const n of project.nodes.values()) if (n.resource_type !== 'test') m.set(n.name, n);
    namedCache.set(project, m);
  }
  return m;
}

/** The source table `source(source, table)` names, in any package. */
export function findSource(project: Project, source: string, table: string): SourceNode | undefined {
  for (const s of project.sources.values()) if (s.source_name === source && s.name === table) return s;
  return undefined;
}

export const EPHEMERAL_PREFIX = '__dbt__cte__';

export interface ResolvingHooksOptions extends CompileOptions {
  /** `this`. Default: none (tests). */
  this?: Relation;
  /** dbt's `model` (config.get reads its config). */
  model?: Record<string, unknown>;
  /**
   * How a ref to an ephemeral model is answered: with the name of the CTE it was inlined as.
   * Default: ephemeral models resolve like any model (tests read them as they are).
   */
  ephemeral?: (node: ModelNode) => string;
}

/** ref()/source() resolved through `resolver` (readProject already reported unknown names). */
export function resolvingHooks(project: Project, resolver: RelationResolver, options: ResolvingHooksOptions = {}): RenderHooks {
  const byName = nodesByName(project);
  return {
    ref(name) {
      const target = byName.get(name);
      // A ref only reached at compile time (inside `{% if is_incremental() %}`) is reported here.
      if (!target) throw new Error(`ref('${name}') names no model or seed of the project`);
      if (options.ephemeral && target.resource_type === 'model' && target.config.materialized === 'ephemeral') {
        return quoteIdent(options.ephemeral(target));
      }
      return resolver.resolve(target);
    },
    source(source, table) {
      const s = findSource(project, source, table);
      if (!s) throw new Error(`source('${source}', '${table}') is not declared`);
      return resolver.resolve(s);
    },
    config: () => {},
    isIncremental: () => options.isIncremental === true,
    this: options.this,
    warehouse: options.warehouse,
    model: options.model,
  };
}

/** Renders a node's SQL; ephemeral models it refs are prepended as CTEs. */
export function compileNode(project: Project, uniqueId: string, resolver: RelationResolver, options: CompileOptions = {}): string {
  const ctes: Array<{ name: string; sql: string }> = [];
  const body = renderNode(project, uniqueId, resolver, options, ctes, new Set());
  return injectCtes(body, ctes);
}

/** compileNode while running: `execute` is true and the queries a template asks for run through `run`. */
export function compileNodeRunning(
  project: Project,
  uniqueId: string,
  resolver: RelationResolver,
  run: QueryRunner,
  options: CompileOptions = {},
): Promise<string> {
  return renderWithWarehouse((warehouse) => compileNode(project, uniqueId, resolver, { ...options, warehouse }), run);
}

function renderNode(
  project: Project,
  uniqueId: string,
  resolver: RelationResolver,
  options: CompileOptions,
  ctes: Array<{ name: string; sql: string }>,
  visiting: Set<string>,
): string {
  const node = project.nodes.get(uniqueId) as ModelNode | TestNode | undefined;
  if (!node || (node.resource_type !== 'model' && !(node.resource_type === 'test' && node.kind === 'singular'))) {
    throw new Error(`internal: ${uniqueId} is not a model or singular test`);
  }
  const { engine, templates } = runtimeOf(project);
  const template = templates.get(uniqueId);
  if (!template) throw new Error(`internal: no compiled template for ${uniqueId}`);
  visiting.add(uniqueId);
  const hooks = resolvingHooks(project, resolver, {
    ...options,
    this: node.resource_type === 'model' ? resolver.resolve(node) : undefined,
    model: node as unknown as Record<string, unknown>,
    ephemeral(target) {
      const cteName = EPHEMERAL_PREFIX + target.name;
      if (!ctes.some((c) => c.name === cteName) && !visiting.has(target.unique_id)) {
        const sql = renderNode(project, target.unique_id, resolver, { isIncremental: false, warehouse: options.warehouse }, ctes, visiting);
        ctes.push({ name: cteName, sql });
      }
      return cteName;
    },
  });
  return engine.render(template, node.original_file_path, hooks);
}

/** Puts CTEs in front of a query, merging with the query's own WITH when it has one. */
export function injectCtes(sql: string, ctes: ReadonlyArray<{ name: string; sql: string }>): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((c) => `${quoteIdent(c.name)} as (\n${c.sql.trim()}\n)`).join(',\n');
  const lead = /^(\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)with\s+(?!recursive\b)/i.exec(sql);
  if (lead) return `${lead[1]}with ${defs},\n${sql.slice(lead[0].length)}`;
  return `with ${defs}\n${sql}`;
}
