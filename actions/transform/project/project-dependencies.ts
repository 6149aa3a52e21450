/**
 * The project's graph: each node's `ref()`/`source()` calls (recorded by the parse render) become
 * `depends_on.nodes`, the macros it called (recorded the same way, not guessed from its text)
 * become `depends_on.macros`, and the whole graph is checked for cycles. Nodes are returned as new
 * objects; nothing read earlier is changed.
 */
import type { Problem } from '../../platform/errors.ts';
import { buildMaps, didYouMean, findCycles } from './graph.ts';
import type { ExecutableNode, MacroNode, ModelNode, SeedNode, SourceNode } from './types.ts';

export interface ResolveInput {
  readonly nodes: ReadonlyMap<string, ExecutableNode>;
  /** Models and seeds by name (what ref() finds). */
  readonly byName: ReadonlyMap<string, ModelNode | SeedNode>;
  /** Names of disabled models and seeds (a ref to one gets a clearer message). */
  readonly disabled: ReadonlySet<string>;
  readonly sources: ReadonlyMap<string, SourceNode>;
  /** The project's macros by unique_id (the parse render records the unique_ids it called). */
  readonly macros: ReadonlyMap<string, MacroNode>;
}

export interface ResolvedGraph {
  readonly nodes: Map<string, ExecutableNode>;
  readonly parent_map: Record<string, string[]>;
  readonly child_map: Record<string, string[]>;
}

/** Finds a source table by its names in any package (dbt: a package's source is found by name). */
function findSource(sources: ReadonlyMap<string, SourceNode>, source: string, table: string): SourceNode | undefined {
  for (const s of sources.values()) if (s.source_name === source && s.name === table) return s;
  return undefined;
}

export function resolveDependencies(input: ResolveInput, problems: Problem[]): ResolvedGraph {
  const sourceNames = [...input.sources.values()].map((s) => `${s.source_name}.${s.name}`);
  const dependsOn = new Map<string, string[]>();
  for (const s of input.sources.keys()) dependsOn.set(s, []);
  const nodes = new Map<string, ExecutableNode>();
  for (const node of input.nodes.values()) {
    const deps: string[] = [...node.depends_on.nodes];
    const refs = node.resource_type === 'model' || node.resource_type === 'test' ? node.refs : [];
    const srcs = node.resource_type === 'model' || node.resource_type === 'test' ? node.sources : [];
    for (const r of refs) {
      const target = input.byName.get(r.name);
      if (target) deps.push(target.unique_id);
      else {
        const why = input.disabled.has(r.name) ? ` '${r.name}' is disabled (enabled: false).` : didYouMean(r.name, input.byName.keys());
        problems.push({
          message: `${node.resource_type} '${node.name}' has ref('${r.name}'), but the project has no model or seed named '${r.name}'.${why} To fix this, correct the name in ${node.original_file_path}.`,
          location: node.location,
        });
      }
    }
    for (const s of srcs) {
      const found = findSource(input.sources, s.source, s.table);
      if (found) deps.push(found.unique_id);
      else {
        problems.push({
          message: `${node.resource_type} '${node.name}' has source('${s.source}', '${s.table}'), but no source table ${s.source}.${s.table} is declared in a .yml file.${didYouMean(`${s.source}.${s.table}`, sourceNames)} To fix this, declare it under sources: or correct the name.`,
          location: node.location,
        });
      }
    }
    const unique = [...new Set(deps)];
    const macros = node.depends_on.macros.filter((id) => input.macros.has(id));
    nodes.set(node.unique_id, { ...node, depends_on: { nodes: unique, macros } } as ExecutableNode);
    dependsOn.set(node.unique_id, unique);
  }
  const { parent_map, child_map } = buildMaps(dependsOn);
  for (const cycle of findCycles(parent_map)) {
    const names = cycle.map((id) => id.split('.').slice(2).join('.'));
    const first = nodes.get(cycle[0]!);
    problems.push({
      message: `the models form a cycle: ${names.join(' -> ')}. To fix this, remove one of these ref() calls (a model cannot depend on itself).`,
      location: first?.location,
    });
  }
  return { nodes, parent_map, child_map };
}
