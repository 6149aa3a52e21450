/**
 * The NodeExecutor of `build`: seeds through the seed loader, models through the engine's
 * materializations, each to wherever the run's resolver puts it. Under write-audit-publish an
 * unchanged seed (same content hash as the published one) is not reloaded into the shadow: it
 * is kept published, reported as `unchanged`, and the run's resolver reads it there — unless it
 * has hooks, which dbt runs every time: it is then loaded into the shadow, so its hooks act on
 * the shadow's table and nothing published changes before the publish.
 */
import { buildModelNode } from './run-models.ts';
import { qualified, type Db } from '../platform/db.ts';
import type { Logger } from '../platform/log.ts';
import { CONTENT_HASHES_TABLE, ensureMetaSchema } from '../platform/meta.ts';
import type { ModelNode, Project, Relation, RelationResolver, SeedNode } from './project/types.ts';
import type { NodeResult } from '../platform/run-results.ts';
import { hasHooks } from './project/hooks.ts';
import { seedHooks } from './seed-hooks.ts';
import { loadSeedNode, prepareSeeds } from '../seed/run-seeds.ts';
import { nodeResult } from '../platform/node-result.ts';
import { relationKind } from '../platform/relations.ts';
import type { NodeExecutor } from './run-nodes.ts';

export interface EngineExecutorOptions {
  project: Project;
  db: Db;
  metaSchema: string;
  fullRefresh?: boolean;
  /** target/ for compiled SQL. Default: not written. */
  targetDir?: string;
  log: Logger;
  /**
   * Write–audit–publish: where a seed is published, to decide whether the shadow needs it.
   * `keep` is told about every seed kept at its published place.
   */
  published?: { resolver: RelationResolver; keep(id: string): void };
}

export function engineExecutor(o: EngineExecutorOptions): NodeExecutor & { prepare(): Promise<void> } {
  const seeds = [...o.project.nodes.values()].filter((n): n is SeedNode => n.resource_type === 'seed');
  // Every seed is read and checked before anything runs (a bad CSV is a project error, exit 2).
  const prepared = prepareSeeds(seeds);
  return {
    async prepare() {
      if (seeds.length > 0) await ensureMetaSchema(o.db, o.metaSchema);
    },
    async execute(node, resolver) {
      return node.resource_type === 'seed' ? runSeed(node, resolver) : runModel(node, resolver);
    },
  };

  async function publishedUnchanged(seed: SeedNode, published: Relation, hash: string): Promise<boolean> {
    if (o.fullRefresh) return false;
    const [row] = await o.db.query<{ content_hash: string }>(
      `SELECT content_hash FROM ${qualified(o.metaSchema, CONTENT_HASHES_TABLE)} WHERE kind = 'seed' AND schema_name = ? AND table_name = ?`,
      [published.schema, published.identifier],
    );
    return (
      row?.content_hash === hash && (await o.db.withSession((s) => relationKind(s, published.schema, published.identifier))) === 'table'
    );
  }

  async function runSeed(seed: SeedNode, resolver: RelationResolver): Promise<NodeResult> {
    const p = prepared.get(seed.unique_id)!;
    if (o.published && !hasHooks(seed)) {
      const startedAt = new Date();
      const pub = o.published.resolver.resolve(seed);
      // A check that cannot be made loads the seed (into the shadow, so nothing published is at risk).
      if (await publishedUnchanged(seed, pub, p.contentHash).catch(() => false)) {
        o.published.keep(seed.unique_id);
        return nodeResult(
          seed.unique_id,
          'success',
          { startedAt, completedAt: new Date() },
          {
            message: `unchanged (${p.table.rows.length} rows), kept published`,
            rows: 0,
            file: seed.original_file_path,
            relation: `${pub.schema}.${pub.identifier}`,
          },
        );
      }
    }
    return loadSeedNode(o.db, seed, p, resolver.resolve(seed), {
      metaSchema: o.metaSchema,
      fullRefresh: o.fullRefresh || o.published !== undefined,
      hooks: seedHooks(o.project, resolver),
    });
  }

  function runModel(node: ModelNode, resolver: RelationResolver): Promise<NodeResult> {
    return buildModelNode(o.project, o.db, node, { resolver, fullRefresh: o.fullRefresh, targetDir: o.targetDir });
  }
}

/**
 * After a publish, the content hashes recorded for seeds loaded into the shadow are moved to the
 * published schema's name, so the next run knows those seeds are unchanged.
 */
export async function moveSeedHashes(db: Db, metaSchema: string, renames: ReadonlyMap<string, string>): Promise<void> {
  const table = qualified(metaSchema, CONTENT_HASHES_TABLE);
  for (const [shadow, published] of renames) {
    await db.exec(
      `DELETE FROM ${table} WHERE kind = 'seed' AND schema_name = ? AND table_name IN ` +
        `(SELECT table_name FROM (SELECT table_name FROM ${table} WHERE kind = 'seed' AND schema_name = ?) AS moved)`,
      [published, shadow],
    );
    await db.exec(`UPDATE ${table} SET schema_name = ? WHERE kind = 'seed' AND schema_name = ?`, [published, shadow]);
  }
}
