/**
 * Row counts of every published table, by layer, with the count the previous report recorded:
 * what "the change since the previous run" in the report compares, when the run recorded no
 * counts of its own. Counts are exact and views are listed without one (../platform/table-counts.ts).
 * Each report records its counts in the metadata schema, keyed by the run, for the next one.
 */
import { ensureTableCounts, TABLE_COUNTS_TABLE } from '../platform/run-history.ts';
import { qualified, quoteIdent, type Db } from '../platform/db.ts';
import type { TableCount } from '../platform/run-results.ts';
import { countTables } from '../platform/table-counts.ts';
import type { ManifestLike } from './lineage.ts';
import { SHADOW_SUFFIX } from '../platform/schemas.ts';
import type { CliContext } from '../platform/run-context.ts';
import type { TableCounter } from './report-stage.ts';

const LAYERS = new Set(['staging', 'seeds', 'silver', 'gold', 'snapshots']);

export interface CountTarget {
  /** Physical schema name (with the run's prefix). */
  schema: string;
  layer: TableCount['layer'];
}

/**
 * The published schemas of a run: staging, and every schema a seed or model of the manifest builds
 * into. A write-audit-publish run's manifest names the shadow schemas it built in; the counts are
 * of what readers see, so those map back to the published names.
 */
export function countTargets(manifest: ManifestLike | undefined, stagingSchema: string): CountTarget[] {
  const out = new Map<string, CountTarget['layer']>([[stagingSchema, 'staging']]);
  for (const node of Object.values(manifest?.nodes ?? {})) {
    if (!node.schema || (node.resource_type !== 'model' && node.resource_type !== 'seed')) continue;
    const n = { ...node, schema: node.schema.endsWith(SHADOW_SUFFIX) ? node.schema.slice(0, -SHADOW_SUFFIX.length) : node.schema };
    const logical = n.config?.schema;
    const layer = n.resource_type === 'seed' ? 'seeds' : logical && LAYERS.has(logical) ? (logical as TableCount['layer']) : 'other';
    if (!out.has(n.schema)) out.set(n.schema, layer);
  }
  return [...out].map(([schema, layer]) => ({ schema, layer }));
}

/** Counts the tables of `targets`, reads the previous counts, records these under `runId`. */
export async function collectTableCounts(
  db: Db,
  targets: CountTarget[],
  metaSchema: string,
  runId: string,
  concurrency = 4,
): Promise<TableCount[]> {
  if (targets.length === 0) return [];
  const layerOf = new Map(targets.map((t) => [t.schema, t.layer]));
  const objects = await db.query<{ s: string; t: string; type: string }>(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS type FROM information_schema.TABLES
      WHERE TABLE_SCHEMA IN (${targets.map(() => '?').join(', ')}) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
    targets.map((t) => t.schema),
  );
  const counts: TableCount[] = objects.map((o) => ({
    schema: o.s,
    table: o.t,
    layer: layerOf.get(o.s) ?? 'other',
    kind: o.type === 'VIEW' ? 'view' : 'table',
    rows: null,
    previousRows: null,
  }));
  await countTables(db, counts, concurrency);
  await ensureTableCounts(db, metaSchema);
  const previous = await db.query<{ s: string; t: string; n: string | number | null }>(
    `SELECT c.schema_name AS s, c.table_name AS t, c.row_count AS n FROM ${qualified(metaSchema, TABLE_COUNTS_TABLE)} c
      JOIN (SELECT schema_name, table_name, MAX(recorded_at) AS at FROM ${qualified(metaSchema, TABLE_COUNTS_TABLE)}
             WHERE run_id <> ? AND schema_name IN (${targets.map(() => '?').join(', ')}) GROUP BY schema_name, table_name) last
        ON last.schema_name = c.schema_name AND last.table_name = c.table_name AND last.at = c.recorded_at
     WHERE c.run_id <> ?`,
    [runId, ...targets.map((t) => t.schema), runId],
  );
  const before = new Map(previous.map((p) => [`${p.s}.${p.t}`, p.n === null ? null : Number(p.n)]));
  for (const c of counts) c.previousRows = before.get(`${c.schema}.${c.table}`) ?? null;
  if (counts.length) {
    // REPLACE: reporting the same run twice (a rerun of the report step) keeps one record.
    await db.exec(
      `REPLACE INTO ${qualified(metaSchema, TABLE_COUNTS_TABLE)} (run_id, schema_name, table_name, layer, row_count, recorded_at) ` +
        `VALUES ${counts.map(() => '(?, ?, ?, ?, ?, UTC_TIMESTAMP(3))').join(', ')}`,
      counts.flatMap((c) => [runId, c.schema, c.table, c.layer, c.rows]),
    );
  }
  return counts;
}

/** Row counts of the published tables through the run context's database (the CLI and the report action). */
export function tableCounter(ctx: CliContext): TableCounter {
  return async (results, manifest) => {
    const db = await ctx.db({ connections: 4 });
    const schemas = ctx.schemas();
    return collectTableCounts(db, countTargets(manifest, schemas.staging), schemas.meta, results.metadata.invocation_id);
  };
}
