/**
 * Row counts of what a run built, before and after, for the report and the job summary
 * (`tables` in target/run_results.json): every seed and model relation of the run, and in
 * `daily` every staging table (its rows from the load, the previous count from the last load's
 * content hashes, so no COUNT(*) runs over the large staging tables).
 */
import { qualified, type Db } from '../platform/db.ts';
import { CONTENT_HASHES_TABLE } from '../platform/meta.ts';
import { publishedResolver } from './project/resolver.ts';
import type { ModelNode, Project, RelationResolver, SeedNode } from './project/types.ts';
import type { LoadTableResult, TableCount } from '../platform/run-results.ts';
import type { Schemas } from '../platform/schemas.ts';

type Layer = TableCount['layer'];

function layerOf(node: ModelNode | SeedNode): Layer {
  if (node.resource_type === 'seed') return 'seeds';
  if (node.config.materialized === 'snapshot') return 'snapshots';
  const where = [node.schema ?? '', ...node.fqn].join('/').toLowerCase();
  if (where.includes('gold') || where.includes('mart')) return 'gold';
  if (where.includes('silver') || where.includes('staging') || where.includes('intermediate')) return 'silver';
  return 'other';
}

async function countRows(db: Db, schema: string, table: string): Promise<{ rows: number | null; kind: 'table' | 'view' | undefined }> {
  const [o] = await db.query<{ type: string }>(
    'SELECT TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [schema, table],
  );
  if (!o) return { rows: null, kind: undefined };
  try {
    const [r] = await db.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${qualified(schema, table)}`);
    return { rows: Number(r?.n ?? 0), kind: o.type === 'VIEW' ? 'view' : 'table' };
  } catch {
    // A view whose tables are gone cannot be counted; it is reported without a count.
    return { rows: null, kind: o.type === 'VIEW' ? 'view' : 'table' };
  }
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
    out.set(n.unique_id, (await countRows(db, rel.schema, rel.identifier)).rows);
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
    const { rows, kind } = await countRows(db, rel.schema, rel.identifier);
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

/** Staging tables of a load: rows as loaded, previous rows as recorded by the last published load. */
export async function stagingCounts(db: Db, metaSchema: string, schema: string, tables: readonly LoadTableResult[]): Promise<TableCount[]> {
  let previous = new Map<string, number>();
  try {
    const rows = await db.query<{ t: string; n: string | number }>(
      `SELECT table_name AS t, row_count AS n FROM ${qualified(metaSchema, CONTENT_HASHES_TABLE)} WHERE kind = 'staging' AND schema_name = ?`,
      [schema],
    );
    previous = new Map(rows.map((r) => [r.t, Number(r.n)]));
  } catch {
    // No metadata yet: a first load has no previous counts.
  }
  return tables.map((t) => ({
    schema,
    layer: 'staging' as const,
    table: t.table,
    rows: t.status === 'dropped' ? null : t.rows,
    previousRows: previous.get(t.table) ?? null,
    kind: 'table' as const,
  }));
}
