/**
 * Incremental models under write-audit-publish: the shadow starts empty, so the published table
 * is copied into the shadow first; the model then appends or merges its new rows there as it
 * would in place, and the publish swaps the result in. Without a published table, the model
 * builds from scratch as on its first run. Snapshots too (their history), even on --full-refresh.
 */
import { qualified, type Db } from '../platform/db.ts';
import { publishedResolver } from './project/resolver.ts';
import type { Project, RelationResolver } from './project/types.ts';
import type { Schemas } from '../platform/schemas.ts';

export async function carryOverIncrementals(
  db: Db,
  project: Project,
  schemas: Schemas,
  build: ReadonlySet<string>,
  shadow: RelationResolver,
  o: { fullRefresh?: boolean } = {},
): Promise<string[]> {
  const published = publishedResolver(schemas);
  const copied: string[] = [];
  for (const id of build) {
    const n = project.nodes.get(id);
    if (!n || n.resource_type !== 'model') continue;
    // A full refresh rebuilds incrementals; a snapshot's history is never rebuilt (as dbt).
    if (!(n.config.materialized === 'snapshot' || (n.config.materialized === 'incremental' && !o.fullRefresh))) continue;
    const from = published.resolve(n);
    const to = shadow.resolve(n);
    const exists = await db.query(
      "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'",
      [from.schema, from.identifier],
    );
    if (exists.length === 0) continue;
    await db.exec(`CREATE TABLE ${qualified(to.schema, to.identifier)} LIKE ${qualified(from.schema, from.identifier)}`);
    await db.exec(`INSERT INTO ${qualified(to.schema, to.identifier)} SELECT * FROM ${qualified(from.schema, from.identifier)}`);
    copied.push(`${from.schema}.${from.identifier}`);
  }
  return copied;
}
