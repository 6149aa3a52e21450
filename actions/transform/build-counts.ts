/**
 * Row counts of what a build built, before and after, for the report and the job summary
 * (`tables` in target/run_results.json): every seed and model relation of the run, views
 * included. The counting itself is ../platform/table-counts.ts.
 */
import type { Db } from '../platform/db.ts';
import type { TableCount } from '../platform/run-results.ts';
import type { Schemas } from '../platform/schemas.ts';
import { countRelation } from '../platform/table-counts.ts';
import { publishedResolver } from './project/resolver.ts';
import type { ModelNode, Project, RelationResolver, SeedNode } from './project/types.ts';

type Layer = TableCount['layer'];

function layerOf(node: ModelNode | SeedNode): Layer {
  if (node.resource_type === 'seed') return 'seeds';
  if (node.config.materialized === 'snapshot') return 'snapshots';
  const where = [node.schema ?? '', ...node.fqn].join('/').toLowerCase();
  if (where.includes('gold') || where.includes('mart')) return 'gold';
  if (where.includes('silver') || where.includes('staging') || where.includes('intermediate')) return 'silver';
  return 'other';
}

function relationNodes(project: Project, build: ReadonlySet<string>): Array<ModelNode | SeedNode> {
  const out: Array<ModelNode | SeedNode> = [];
  for (const id of build) {
    const n = project.nodes.get(id);
    if (n?.resource_type === 'seed' || (n?.resource_type === 'model' && n.config.materialized !== 'ephemeral')) out.push(n);
  }
  return out;
}

/** Counts of the published relations of the nodes a run will build: the "before" side. */
export async function countBefore(
  db: Db,
  project: Project,
  schemas: Schemas,
  build: ReadonlySet<string>,
): Promise<Map<string, number | null>> {
  const published = publishedResolver(schemas);
  const out = new Map<string, number | null>();
  for (const n of relationNodes(project, build)) {
    const rel = published.resolve(n);
    out.set(n.unique_id, (await countRelation(db, rel.schema, rel.identifier)).rows);
  }
  return out;
}

/** Counts after the run, where `resolver` says the nodes are now (published, or the kept shadow). */
export async function countAfter(
  db: Db,
  project: Project,
  resolver: RelationResolver,
  build: ReadonlySet<string>,
  before: ReadonlyMap<string, number | null>,
): Promise<TableCount[]> {
  const out: TableCount[] = [];
  for (const n of relationNodes(project, build)) {
    const rel = resolver.resolve(n);
    const { rows, kind } = await countRelation(db, rel.schema, rel.identifier);
    out.push({
      schema: rel.schema,
      layer: layerOf(n),
      table: rel.identifier,
      rows,
      previousRows: before.get(n.unique_id) ?? null,
      kind: kind ?? (n.resource_type === 'model' && n.config.materialized === 'view' ? 'view' : 'table'),
    });
  }
  return out;
}
