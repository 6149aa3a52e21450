/**
 * `build`, `build --publish`, `test` and the build half of `daily`: what to run, where it is
 * built (published schemas, or shadow schemas for write-audit-publish), and whether the run may
 * publish. See README.md for the flow.
 */
import { runWithRunHooks } from '../transform/run-hooks.ts';
import type { Db } from '../platform/db.ts';
import { errorMessage } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import { makeRelation, publishedResolver, shadowResolver } from '../transform/project/resolver.ts';
import type { SwapPlan } from '../platform/shadow-swap.ts';
import type { ModelNode, Project, RelationNode, RelationResolver, SeedNode, TestNode } from '../transform/project/types.ts';
import type { NodeResult, PublishResult, TableCount } from '../platform/run-results.ts';
import { countAfter, countBefore } from '../transform/build-counts.ts';
import type { Schemas } from '../platform/schemas.ts';
import { carryOverIncrementals } from '../transform/carry-over.ts';
import {
  cleanLeftovers,
  createShadows,
  layerOf,
  notPublished,
  publishShadows,
  uniqueLayers,
  type PublishLayer,
} from '../publish/publish.ts';
import { isBlocking, preflight, runNodes } from '../transform/run-nodes.ts';
import { engineExecutor, moveSeedHashes } from '../transform/engine-executor.ts';
import { forgetLoadHashes } from '../platform/load-hashes.ts';
import { forgetContentHashes } from '../platform/meta.ts';

export interface PublishMode {
  /** Build and test in the shadow, but do not publish. */
  readonly dryRun?: boolean;
  /**
   * `daily`: the loader's plan of staging, loaded into its shadow schema and not published.
   * Sources whose tables were loaded are read in the shadow (unchanged ones where they are
   * published), and staging is published in the same RENAME as the other layers.
   */
  readonly staging?: SwapPlan;
  /** Runs right before the RENAME (tests kill the process there). */
  readonly beforeSwap?: () => Promise<void>;
  readonly afterSwap?: () => Promise<void>;
}

export interface BuildRunOptions {
  readonly project: Project;
  readonly db: Db;
  readonly schemas: Schemas;
  readonly log: Logger;
  /** `test` runs only source checks and tests. */
  readonly command: 'build' | 'test';
  /** Selected unique_ids (models, seeds, tests, sources). Default: every node. */
  readonly selected?: ReadonlySet<string>;
  /** Write–audit–publish; undefined: build in place (`build`) or test the published data (`test`). */
  readonly publish?: PublishMode;
  /** target/ for compiled SQL of models. Default: not written. */
  readonly targetDir?: string;
  /** Rebuild incremental models from scratch (no carry-over into the shadow) and reload seeds. */
  readonly fullRefresh?: boolean;
  readonly asOf: Date;
  readonly threads: number;
  readonly onCompiled?: (test: TestNode, sql: string) => void;
}

export interface BuildRunResult {
  results: NodeResult[];
  publish?: PublishResult;
  /** Row counts of the relations built, before and after (`build`; empty for `test`). */
  tables: TableCount[];
}

const isRelationNode = (n: { resource_type: string }): n is ModelNode | SeedNode =>
  n.resource_type === 'model' || n.resource_type === 'seed';

/** What a selection runs: nodes to build, tests, and the sources whose checks run first. */
export function planRun(project: Project, command: 'build' | 'test', selected?: ReadonlySet<string>) {
  const isSelected = (id: string) => selected === undefined || selected.has(id);
  const build = new Set<string>();
  const tests = new Set<string>();
  for (const n of project.nodes.values()) {
    if (command === 'build' && isRelationNode(n) && isSelected(n.unique_id)) build.add(n.unique_id);
  }
  for (const n of project.nodes.values()) {
    if (n.resource_type !== 'test') continue;
    // dbt's indirect selection (a test runs when a node it tests is selected) is already in a
    // selection (selectNodes), after which --exclude applies: an excluded test stays out.
    if (isSelected(n.unique_id)) tests.add(n.unique_id);
  }
  const sources = new Set<string>();
  for (const s of project.sources.keys()) {
    const used = [...build, ...tests].some((id) => (project.parent_map[id] ?? []).includes(s));
    if (used || (selected === undefined ? command === 'test' : selected.has(s))) sources.add(s);
  }
  return { build, tests, sources };
}

/** The layers a write-audit-publish run builds into: the schemas of its tables and views, and staging in `daily`. */
export function runLayers(project: Project, schemas: Schemas, build: ReadonlySet<string>, stagingInShadow: boolean): PublishLayer[] {
  const layers: PublishLayer[] = [];
  for (const id of build) {
    const n = project.nodes.get(id)!;
    if (n.resource_type === 'model' && n.config.materialized === 'ephemeral') continue;
    if (isRelationNode(n)) layers.push(layerOf(schemas, n.schema));
  }
  if (stagingInShadow) layers.push(layerOf(schemas, project.config.staging.schema, 'mirror'));
  return uniqueLayers(layers);
}

export async function runBuild(o: BuildRunOptions): Promise<BuildRunResult> {
  const { project, db, schemas, log } = o;
  const plan = planRun(project, o.command, o.selected);
  const wap = o.command === 'build' && o.publish !== undefined;
  const staging = wap ? o.publish?.staging : undefined;
  const stagingInShadow = staging !== undefined;
  // Seeds kept at their published place (unchanged) are read there, not in the shadow.
  const keptPublished = new Set<string>();
  const resolver = wap
    ? withStagingShadow(
        shadowResolver(schemas, { inShadow: (n: RelationNode) => plan.build.has(n.unique_id) && !keptPublished.has(n.unique_id) }),
        staging,
      )
    : publishedResolver(schemas);
  const executor =
    o.command === 'build'
      ? engineExecutor({
          project,
          db,
          metaSchema: schemas.meta,
          fullRefresh: o.fullRefresh,
          targetDir: o.targetDir,
          log,
          published: wap ? { resolver: publishedResolver(schemas), keep: (id) => keptPublished.add(id) } : undefined,
        })
      : undefined;
  await preflight({ project, db, resolver, tests: plan.tests, build: plan.build });
  await executor?.prepare();

  const layers = wap ? runLayers(project, schemas, plan.build, stagingInShadow) : [];
  if (wap) {
    // The loader of `daily` has just filled the staging shadow: only the other layers are cleaned.
    const stagingLayer = layerOf(schemas, project.config.staging.schema);
    const cleaned = await cleanLeftovers(
      db,
      layers.filter((l) => !(stagingInShadow && l.published === stagingLayer.published)),
    );
    if (cleaned.length > 0) log.info(`removed leftovers of an earlier run: ${cleaned.join(', ')}`);
    await createShadows(db, layers);
    await carryOverIncrementals(db, project, schemas, plan.build, resolver, { fullRefresh: o.fullRefresh });
  }

  const before = o.command === 'build' ? await countBefore(db, project, schemas, plan.build) : new Map<string, number | null>();
  const counts = (where: RelationResolver) =>
    o.command === 'build' ? countAfter(db, project, where, plan.build, before) : Promise.resolve([]);
  // dbt's order: on-run-start, the nodes, on-run-end (run-hooks.ts); a failing on-run-start runs no node.
  const results = await runWithRunHooks({ project, db, resolver, selected: [...plan.build, ...plan.tests], log }, () =>
    runNodes({
      project,
      db,
      resolver,
      build: plan.build,
      tests: plan.tests,
      sources: plan.sources,
      executor,
      auditSchema: schemas.audit,
      asOf: o.asOf,
      threads: o.threads,
      log,
      onCompiled: o.onCompiled,
      // `test` runs every test; `build` skips what reads a failed node.
      skipDescendants: o.command === 'build',
    }),
  );
  if (!wap) return { results, tables: await counts(resolver) };

  const failed = results.filter(isBlocking);
  if (failed.length > 0) {
    const names = failed
      .slice(0, 5)
      .map((r) => r.unique_id)
      .join(', ');
    const reason = `${failed.length} node(s) failed or had an error-severity test fail (${names}${failed.length > 5 ? ', ...' : ''})`;
    return { results, publish: await notPublished(db, layers, reason), tables: await counts(resolver) };
  }
  if (o.publish?.dryRun)
    return { results, publish: await notPublished(db, layers, 'this was a dry run (--dry-run)'), tables: await counts(resolver) };
  // Set once the RENAME ran: a failure after it (views, dropping the old schemas) is not "nothing published".
  let swappedAt: string | undefined;
  try {
    const beforeSwap = async () => {
      await forgetReplacedHashes(db, schemas.meta, layers, staging);
      await o.publish?.beforeSwap?.();
    };
    const afterSwap = async () => {
      swappedAt = new Date().toISOString();
      await o.publish?.afterSwap?.();
    };
    const publish = await publishShadows(db, { layers, staging, log, beforeSwap, afterSwap });
    if (plan.build.size > 0 && [...plan.build].some((id) => project.nodes.get(id)?.resource_type === 'seed')) {
      // Bookkeeping only: when it fails, the next run reloads the seeds (slower, still right).
      await moveSeedHashes(db, schemas.meta, new Map(layers.map((l) => [l.shadow, l.published]))).catch((err) =>
        log.warn(`could not record the published seeds' content hashes: ${errorMessage(err)}`),
      );
    }
    return { results, publish, tables: await counts(publishedResolver(schemas)) };
  } catch (err) {
    if (swappedAt) {
      const reason = `the tables were published (one RENAME at ${swappedAt}), but finishing the swap failed: ${errorMessage(err)}. The next run removes what is left.`;
      log.warn(reason);
      return { results, publish: { published: true, at: swappedAt, tables: 0, reason }, tables: await counts(publishedResolver(schemas)) };
    }
    return { results, publish: await notPublished(db, layers, `publishing failed: ${errorMessage(err)}`), tables: await counts(resolver) };
  }
}

/** Sources in staging read the tables the loader put in the shadow there; the others where they are published. */
export function withStagingShadow(base: RelationResolver, staging: SwapPlan | undefined): RelationResolver {
  if (!staging) return base;
  const loaded = new Set(staging.replace);
  return {
    resolve(node) {
      const rel = base.resolve(node);
      if (node.resource_type === 'source' && rel.schema === staging.target && loaded.has(rel.identifier)) {
        return makeRelation(staging.shadow, rel.identifier);
      }
      return rel;
    },
  };
}

/**
 * Right before the publishing RENAME: the tables it replaces lose their content hashes (staging
 * tables the loader replaced or dropped, seeds rebuilt in a shadow), so that a kill between the
 * RENAME and recording the new hashes can never make the next run skip a table as unchanged.
 */
async function forgetReplacedHashes(
  db: Db,
  metaSchema: string,
  layers: readonly PublishLayer[],
  staging: SwapPlan | undefined,
): Promise<void> {
  if (staging) await forgetLoadHashes(db, metaSchema, staging.target, [...staging.replace, ...staging.drop]);
  for (const layer of layers) {
    const rows = await db.query<{ t: string }>(
      "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
      [layer.shadow],
    );
    await forgetContentHashes(
      db,
      metaSchema,
      'seed',
      layer.published,
      rows.map((r) => r.t),
    );
  }
}
