/**
 * Compiling a model or singular test to SQL against a RelationResolver: `ref()`/`source()`/`this`
 * become physical relations, ephemeral models are inlined as CTEs (`__dbt__cte__name`), the way
 * dbt does it. The templates were compiled once when the project was read; this only renders.
 */
import { quoteIdent } from '../../platform/db.ts';
import { runtimeOf } from './read-project.ts';
import type { ModelNode, Project, RelationResolver, SeedNode, TestNode } from './types.ts';

export interface CompileOptions {
  /** What `is_incremental()` answers. Default false. */
  isIncremental?: boolean;
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

export const EPHEMERAL_PREFIX = '__dbt__cte__';

/** Renders a node's SQL; ephemeral models it refs are prepended as CTEs. */
export function compileNode(project: Project, uniqueId: string, resolver: RelationResolver, options: CompileOptions = {}): string {
  const ctes: Array<{ name: string; sql: string }> = [];
  const body = renderNode(project, uniqueId, resolver, options, ctes, new Set());
  return injectCtes(body, ctes);
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
  const byName = nodesByName(project);
  visiting.add(uniqueId);
  return engine.render(template, node.original_file_path, {
    ref(name) {
      const target = byName.get(name);
      // readProject already reported unknown refs; a ref only reached at compile time (inside
      // `{% if is_incremental() %}`) is reported here.
      if (!target) throw new Error(`ref('${name}') names no model or seed of the project`);
      if (target.resource_type === 'model' && target.config.materialized === 'ephemeral') {
        const cteName = EPHEMERAL_PREFIX + target.name;
        if (!ctes.some((c) => c.name === cteName) && !visiting.has(target.unique_id)) {
          const sql = renderNode(project, target.unique_id, resolver, { isIncremental: false }, ctes, visiting);
          ctes.push({ name: cteName, sql });
        }
        return quoteIdent(cteName);
      }
      return resolver.resolve(target);
    },
    source(source, table) {
      const s = project.sources.get(`source.${project.name}.${source}.${table}`);
      if (!s) throw new Error(`source('${source}', '${table}') is not declared`);
      return resolver.resolve(s);
    },
    config: () => {},
    isIncremental: () => options.isIncremental === true,
    this: node.resource_type === 'model' ? resolver.resolve(node) : undefined,
  });
}

/** Puts CTEs in front of a query, merging with the query's own WITH when it has one. */
export function injectCtes(sql: string, ctes: ReadonlyArray<{ name: string; sql: string }>): string {
  if (ctes.length === 0) return sql;
  const defs = ctes.map((c) => `${quoteIdent(c.name)} as (\n${c.sql.trim()}\n)`).join(',\n');
  const lead = /^(\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)with\s+(?!recursive\b)/i.exec(sql);
  if (lead) return `${lead[1]}with ${defs},\n${sql.slice(lead[0].length)}`;
  return `with ${defs}\n${sql}`;
}
