/**
 * Write–audit–publish. A run builds every table in shadow schemas (`schemas.shadow(logical)`),
 * its tests run there, and only then does this module publish: ONE `RENAME TABLE` statement moves
 * each published table aside into `schemas.old(logical)` and each shadow table into its place,
 * across all layers (staging, seeds, silver, gold) at once. MySQL runs a multi-table RENAME
 * atomically: readers see the whole old warehouse or the whole new one, never a mix.
 * https://dev.mysql.com/doc/refman/8.0/en/rename-table.html
 *
 * Views cannot move between schemas with RENAME TABLE, and a view's stored text names the
 * schemas it reads, so views are recreated in the published schema after the swap, from the
 * shadow view's definition with every shadow schema name replaced by its published name.
 *
 * Tables the run did not rebuild are carried over: in an `overlay` layer (seeds, silver, gold) a
 * published table without a shadow version simply stays; in a `mirror` layer (staging, which
 * mirrors the dump) the shadow holds the complete new schema and a published table absent from
 * it leaves in the same swap.
 */
import { qualified, quoteIdent, type Db } from '../platform/db.ts';
import { renameStatement, replacePairs, type RenamePair } from '../platform/relations.ts';
import { dropBeside, finishSwap, prepareSwap, type SwapPlan } from '../platform/shadow-swap.ts';
import type { Logger } from '../platform/log.ts';
import type { PublishResult } from '../platform/run-results.ts';
import { OLD_SUFFIX, SHADOW_SUFFIX, type Schemas } from '../platform/schemas.ts';

/** One published schema with its shadow and old companions (physical names). */
export interface PublishLayer {
  readonly published: string;
  readonly shadow: string;
  readonly old: string;
  /** Default `overlay`. */
  readonly mode?: 'mirror' | 'overlay';
}

/**
 * The layer of a logical schema; `undefined` is the default schema of models (which may come
 * from DATABASE_URL rather than from a logical name).
 */
export function layerOf(schemas: Schemas, logical: string | undefined, mode: PublishLayer['mode'] = 'overlay'): PublishLayer {
  const published = logical === undefined ? schemas.defaultSchema : schemas.physical(logical);
  return Object.freeze({ published, shadow: published + SHADOW_SUFFIX, old: published + OLD_SUFFIX, mode });
}

/** Layers by published name, once each (a mirror wins over an overlay of the same schema). */
export function uniqueLayers(layers: readonly PublishLayer[]): PublishLayer[] {
  const byName = new Map<string, PublishLayer>();
  for (const l of layers) {
    const seen = byName.get(l.published);
    if (!seen || l.mode === 'mirror') byName.set(l.published, l);
  }
  return [...byName.values()];
}

interface ObjectRow {
  name: string;
  type: string;
}

const CHARSET = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci';

export async function schemaExists(db: Db, schema: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [schema]);
  return rows.length > 0;
}

async function objects(db: Db, schema: string): Promise<ObjectRow[]> {
  return db.query<ObjectRow>(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [schema],
  );
}

/**
 * Drops shadow and old schemas a previous run left behind (a failed run keeps its shadow for
 * inspection until the next run; a run killed after its swap leaves an old schema). Returns the
 * schemas dropped.
 */
export async function cleanLeftovers(db: Db, layers: readonly PublishLayer[]): Promise<string[]> {
  const dropped: string[] = [];
  for (const layer of uniqueLayers(layers)) {
    const left = [];
    for (const name of [layer.shadow, layer.old]) if (await schemaExists(db, name)) left.push(name);
    await dropBeside(db, layer.published, left);
    dropped.push(...left);
  }
  return dropped;
}

/** Creates the shadow schemas a build writes into. */
export async function createShadows(db: Db, layers: readonly PublishLayer[]): Promise<void> {
  for (const layer of uniqueLayers(layers)) {
    await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(layer.shadow)} ${CHARSET}`);
  }
}

/** Rewrites a view definition read from a shadow schema so that it names the published schemas. */
export function retargetViewSql(definition: string, renames: ReadonlyMap<string, string>): string {
  let out = definition;
  for (const [from, to] of renames) out = out.split(quoteIdent(from)).join(quoteIdent(to));
  return out;
}

interface Plan {
  pairs: RenamePair[];
  views: Array<{ schema: string; name: string; definition: string }>;
  dropViews: Array<{ schema: string; name: string }>;
  tables: number;
}

async function planPublish(db: Db, layers: readonly PublishLayer[], extraRenames: ReadonlyMap<string, string>): Promise<Plan> {
  const plan: Plan = { pairs: [], views: [], dropViews: [], tables: 0 };
  const renames = new Map<string, string>(extraRenames);
  for (const l of layers) renames.set(l.shadow, l.published);
  let parked = 0;
  for (const layer of layers) {
    const { shadow, published: pub, old } = layer;
    if (!(await schemaExists(db, shadow))) continue;
    const next = await objects(db, shadow);
    const current = new Map((await objects(db, pub)).map((o) => [o.name, o.type]));
    const nextNames = new Set(next.map((o) => o.name));
    for (const o of next) {
      const existing = current.get(o.name);
      if (o.type === 'VIEW') {
        // A table becoming a view: the table leaves in the swap, the view is created right after.
        if (existing !== undefined && existing !== 'VIEW') plan.pairs.push([qualified(pub, o.name), qualified(old, o.name)]);
        const [row] = await db.query<{ definition: string }>(
          'SELECT VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
          [shadow, o.name],
        );
        plan.views.push({ schema: pub, name: o.name, definition: retargetViewSql(row!.definition, renames) });
        continue;
      }
      let aside: string | undefined;
      if (existing === 'VIEW') {
        // A view becoming a table: a view cannot leave its schema by RENAME, so it is parked
        // under another name in the same schema within the same statement, and dropped after.
        const parkedName = `__pipeline_replaced_view_${parked++}`;
        aside = qualified(pub, parkedName);
        plan.dropViews.push({ schema: pub, name: parkedName });
      } else if (existing !== undefined) {
        aside = qualified(old, o.name);
      }
      plan.pairs.push(...replacePairs(qualified(shadow, o.name), qualified(pub, o.name), aside));
      plan.tables++;
    }
    if (layer.mode === 'mirror') {
      for (const [name, type] of current) {
        if (nextNames.has(name)) continue;
        if (type === 'VIEW') plan.dropViews.push({ schema: pub, name });
        else plan.pairs.push([qualified(pub, name), qualified(old, name)]);
      }
    }
  }
  return plan;
}

/** Creates views whatever their order: a view whose dependency is not there yet is retried after the others. */
async function createViews(db: Db, views: Plan['views']): Promise<string[]> {
  let pending = views;
  let lastErrors: string[] = [];
  while (pending.length > 0) {
    const failed: Plan['views'] = [];
    lastErrors = [];
    for (const v of pending) {
      try {
        await db.exec(`CREATE OR REPLACE VIEW ${qualified(v.schema, v.name)} AS ${v.definition}`);
      } catch (err) {
        failed.push(v);
        lastErrors.push(`${v.schema}.${v.name}: ${(err as Error).message}`);
      }
    }
    if (failed.length === pending.length) return lastErrors;
    pending = failed;
  }
  return [];
}

export interface PublishOptions {
  layers: readonly PublishLayer[];
  /**
   * `daily`: the loader's plan for staging (loaded with `publish: false`). Its shadow holds only
   * the tables that changed; unchanged ones stay where they are, tables the vendor dropped leave,
   * and the dump's views and routines are created after the swap. Its pairs join the one RENAME;
   * the steps around it are the loader's own (../platform/shadow-swap.ts).
   */
  staging?: SwapPlan;
  log: Logger;
  /** Called right before the RENAME statement (tests use it to kill the process there). */
  beforeSwap?: () => Promise<void>;
  /** Runs right after the RENAME, before any bookkeeping (a test hook for the kill window there). */
  afterSwap?: () => Promise<void>;
}

/**
 * Publishes every shadow schema of `layers` in one RENAME TABLE, recreates the views, then drops
 * the old and shadow schemas. Throws only on an unexpected server error; before the RENAME
 * nothing published has changed but what would block it in staging (triggers of tables that move,
 * a view that a new table replaces), which the dump's objects bring back after the swap.
 */
export async function publishShadows(db: Db, options: PublishOptions): Promise<PublishResult> {
  const { log } = options;
  const staging = options.staging;
  // Staging under a loader plan is published by that plan, not by the generic layer planning.
  const layers = uniqueLayers(options.layers).filter((l) => !staging || l.published !== staging.target);
  const plan = await planPublish(db, layers, staging ? new Map([[staging.shadow, staging.target]]) : new Map());
  if (staging) {
    plan.pairs.unshift(...(await prepareSwap(db, staging)));
    plan.tables += staging.replace.length;
  }
  for (const layer of layers) {
    if (!(await schemaExists(db, layer.shadow))) continue;
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(layer.old)}`);
    await db.exec(`CREATE DATABASE ${quoteIdent(layer.old)} ${CHARSET}`);
    await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(layer.published)} ${CHARSET}`);
  }
  await options.beforeSwap?.();
  const at = new Date().toISOString();
  const rename = renameStatement(plan.pairs, true);
  if (rename) await db.exec(rename);
  const names = [...(staging ? [staging.target] : []), ...layers.map((l) => l.published)];
  log.info(`published ${plan.tables} table(s) of ${names.join(', ')} in one RENAME TABLE`);
  await options.afterSwap?.();
  if (staging) await db.withSession((session) => finishSwap(session, staging));
  const viewErrors = await createViews(db, plan.views);
  for (const v of plan.dropViews) await db.exec(`DROP VIEW IF EXISTS ${qualified(v.schema, v.name)}`);
  for (const layer of layers) {
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(layer.old)}`);
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(layer.shadow)}`);
  }
  const result: PublishResult = { published: true, at, tables: plan.tables };
  if (viewErrors.length > 0) {
    result.reason = `the tables were published, but ${viewErrors.length} view(s) could not be recreated: ${viewErrors.join('; ')}`;
  }
  return result;
}

/** The result when a run does not publish: why, and where its shadow is kept. */
export async function notPublished(db: Db, layers: readonly PublishLayer[], reason: string): Promise<PublishResult> {
  const kept: string[] = [];
  for (const l of uniqueLayers(layers)) if (await schemaExists(db, l.shadow)) kept.push(l.shadow);
  return {
    published: false,
    tables: 0,
    reason: `${reason}. Nothing was published; the shadow is kept for inspection until the next run${kept.length ? `: ${kept.join(', ')}` : ''}.`,
    shadowSchemas: kept,
  };
}
