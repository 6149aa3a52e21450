/**
 * `seed`: every selected seed is read and checked first (a bad CSV is a project error, exit 2,
 * before anything is loaded), then the seeds load concurrently, each swapped in atomically,
 * each between its pre-hooks and post-hooks (dbt runs a seed's hooks every time it runs).
 */
import { readFileSync } from 'node:fs';
import type { Db, DbSession } from '../platform/db.ts';
import { ConfigError, errorMessage, type Problem } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { ensureMetaSchema } from '../platform/meta.ts';
import type { Project, Relation, RelationResolver, SeedNode } from '../transform/project/types.ts';
import type { NodeResult } from '../platform/run-results.ts';
import { mapLimit, nodeResult } from '../platform/node-result.ts';
import { parseSeedCsv } from './seed-csv.ts';
import { seedColumns } from './seed-types.ts';
import { loadSeed, seedHash, type PreparedSeed } from './load-seed.ts';

export interface SeedOptions {
  /** unique_ids of the seeds to load (others in the selection are ignored). */
  readonly select: readonly string[];
  readonly resolver: RelationResolver;
  /** Physical schema of pipeline_meta (content hashes). */
  readonly metaSchema: string;
  /** Reload even unchanged seeds. Default false. */
  readonly fullRefresh?: boolean;
  /** Seeds loaded at once. Default 4. */
  readonly threads?: number;
  /** The seeds' pre-hooks and post-hooks. Default: none run. */
  readonly hooks?: SeedHooks;
  readonly log: Logger;
}

/**
 * A seed's pre-hooks and post-hooks, given by the caller (the transform engine renders them:
 * ../transform/seed-hooks.ts); each runs on the seed's session, `this` the seed's relation.
 */
export interface SeedHooks {
  of(seed: SeedNode, relation: Relation, session: DbSession): { pre(): Promise<void>; post(): Promise<void> };
}

/** Reads and checks seeds; throws ConfigError with every problem of every seed. */
export function prepareSeeds(seeds: readonly SeedNode[]): Map<string, PreparedSeed> {
  const problems: Problem[] = [];
  const out = new Map<string, PreparedSeed>();
  for (const seed of seeds) {
    const bytes = readFileSync(seed.file);
    const before = problems.length;
    const table = parseSeedCsv(bytes, seed.original_file_path, seed.config.delimiter, problems);
    if (!table) continue;
    const columns = seedColumns(table, seed.config.column_types, seed.original_file_path, problems);
    if (problems.length > before) continue;
    out.set(seed.unique_id, { table, columns, contentHash: seedHash(bytes, columns) });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

export async function runSeeds(project: Project, db: Db, o: SeedOptions): Promise<NodeResult[]> {
  const seeds = o.select.map((id) => project.nodes.get(id)).filter((n): n is SeedNode => n?.resource_type === 'seed');
  const prepared = prepareSeeds(seeds);
  if (seeds.length === 0) return [];
  await ensureMetaSchema(db, o.metaSchema);
  return mapLimit(seeds, o.threads ?? 4, async (seed) => {
    const relation = o.resolver.resolve(seed);
    const result = await loadSeedNode(db, seed, prepared.get(seed.unique_id)!, relation, {
      metaSchema: o.metaSchema,
      fullRefresh: o.fullRefresh,
      hooks: o.hooks,
    });
    if (result.status === 'error') o.log.error(result.message!);
    else o.log.info(`  seed ${seed.name} → ${relation.schema}.${relation.identifier}: ${result.message}`);
    return result;
  });
}

/** How one seed is loaded: where its content hashes live, and its hooks. */
export interface SeedNodeOptions {
  metaSchema: string;
  fullRefresh?: boolean;
  hooks?: SeedHooks;
}

/**
 * One seed loaded as a node of a run (`seed`, and `build` through the engine's executor), on one
 * session: its pre-hooks, the load, its post-hooks, in dbt's order. The result says what was
 * loaded where, or why it failed: a failed load leaves the published table as it was; a failing
 * hook fails the seed.
 */
export async function loadSeedNode(
  db: Db,
  seed: SeedNode,
  prepared: PreparedSeed,
  relation: Relation,
  options: SeedNodeOptions,
): Promise<NodeResult> {
  const startedAt = new Date();
  let stage: 'hook' | 'load' = 'hook';
  try {
    const r = await db.withSession(async (session) => {
      const hooks = options.hooks?.of(seed, relation, session);
      await hooks?.pre();
      stage = 'load';
      const loaded = await loadSeed(session, prepared, relation, options);
      stage = 'hook';
      await hooks?.post();
      return loaded;
    });
    return nodeResult(
      seed.unique_id,
      'success',
      { startedAt, completedAt: new Date() },
      {
        message: r.status === 'unchanged' ? `unchanged (${r.rows} rows)` : `INSERT ${r.rows}`,
        rows: r.status === 'unchanged' ? 0 : r.rows,
        file: seed.original_file_path,
        relation: `${relation.schema}.${relation.identifier}`,
      },
    );
  } catch (err) {
    const message =
      stage === 'hook'
        ? `seed ${seed.name} (${seed.original_file_path}) failed: ${errorMessage(err)}. To fix this, correct the hook.`
        : `seed ${seed.name} (${seed.original_file_path}) ` +
          `failed to load into ${relation.schema}.${relation.identifier}: ${errorMessage(err)}. The published table was left as it was.`;
    return nodeResult(seed.unique_id, 'error', { startedAt, completedAt: new Date() }, { message, file: seed.original_file_path });
  }
}
