/**
 * Checks across a project's nodes, once they are all built: property-file entries that name no
 * node, two nodes building the same relation, and config-tree paths of pipeline.yml that match
 * no folder or node. Pure: problems and warnings go to the caller's lists.
 */
import type { PipelineConfig } from '../../platform/config.ts';
import type { Problem } from '../../platform/errors.ts';
import { checkTree, fqnPrefixes } from './config-tree.ts';
import { didYouMean } from './graph.ts';
import type { NodeProps } from './properties.ts';
import type { ModelNode, SeedNode } from './types.ts';

/** Property entries left after every model and seed took its own: each names no node (dbt warns). */
export function checkLeftoverProperties(
  left: { model: Iterable<NodeProps>; seed: Iterable<NodeProps>; snapshot?: Iterable<NodeProps> },
  named: readonly (ModelNode | SeedNode)[],
  disabled: ReadonlySet<string>,
  warnings: Problem[],
): void {
  const add = { model: 'the .sql file', seed: 'the .csv file', snapshot: "a {% snapshot %} file or the entry's relation:" };
  for (const kind of ['model', 'seed', 'snapshot'] as const) {
    for (const p of left[kind] ?? []) {
      if (disabled.has(p.name)) continue;
      const known = named
        .filter((n) => (kind === 'snapshot' ? isSnapshot(n) : n.resource_type === kind && !isSnapshot(n)))
        .map((n) => n.name);
      warnings.push({
        message: `properties for ${kind} '${p.name}', but the project has no ${kind} of that name; they apply to nothing.${didYouMean(p.name, known)} To fix this, correct the name or add ${add[kind]}.`,
        location: p.location,
      });
    }
  }
}

const isSnapshot = (n: ModelNode | SeedNode) => n.resource_type === 'model' && n.config.materialized === 'snapshot';

/** Two nodes may not land on the same relation (dbt refuses this too): one would overwrite the other. */
export function checkRelationClashes(named: readonly (ModelNode | SeedNode)[], problems: Problem[]): void {
  const relations = new Map<string, ModelNode | SeedNode>();
  for (const n of named) {
    if (n.resource_type === 'model' && n.config.materialized === 'ephemeral') continue;
    const key = `${n.schema ?? ''}.${n.alias}`;
    const other = relations.get(key);
    if (other) {
      problems.push({
        message: `${n.resource_type} '${n.name}' and ${other.resource_type} '${other.name}' (${other.original_file_path}) would both build ${n.schema ?? '<default schema>'}.${n.alias}. To fix this, give one another alias or schema.`,
        location: n.location,
      });
    } else relations.set(key, n);
  }
}

/** Keys of the models:/seeds:/snapshots: trees that are neither configs nor paths of existing nodes. */
export function checkConfigTrees(
  config: PipelineConfig,
  named: readonly (ModelNode | SeedNode)[],
  problems: Problem[],
  warnings: Problem[],
): void {
  const locate = (path: (string | number)[]) => config.source.locate(path);
  const trees = [
    { tree: config.models, kind: 'model', of: (n: ModelNode | SeedNode) => n.resource_type === 'model' && !isSnapshot(n) },
    { tree: config.seeds, kind: 'seed', of: (n: ModelNode | SeedNode) => n.resource_type === 'seed' },
    // Snapshots take the models' configs (snapshot.ts); their tree is `snapshots:`.
    { tree: config.snapshots ?? {}, kind: 'snapshot', of: isSnapshot },
  ] as const;
  for (const t of trees) {
    const fqns = named.filter(t.of).map((n) => n.fqn);
    checkTree(t.tree, t.kind === 'snapshot' ? 'model' : t.kind, fqnPrefixes(fqns), locate, `${t.kind}s`, problems, warnings, t.kind);
  }
}
