/**
 * `docs generate`: the manifest the engine wrote, the catalog read from information_schema and
 * the run history from the metadata schema, into target/catalog.json and the static site
 * target/docs/index.html.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../platform/db.ts';
import type { Logger } from '../platform/log.ts';
import { writeTargetFile } from '../platform/target-files.ts';
import { CATALOG_FILE, readCatalog, type Catalog, type RelationRef } from './catalog.ts';
import { buildDocsData, relationOf } from './docs-data.ts';
import { latestCounts, readHistory, readSnapshotDays } from './history.ts';
import { compiledSql, readManifest } from './manifest.ts';
import { renderSiteHtml } from './site-html.ts';
import type { DocsData, SnapshotDay } from './site/docs-data.ts';

export const DOCS_DIR = 'docs';

export interface DocsOptions {
  readonly db: Db;
  readonly targetDir: string;
  /** The (prefixed) metadata schema with the run history. */
  readonly metaSchema: string;
  readonly log: Logger;
  /** The pipeline's version, written as the catalog's dbt_version. */
  readonly version: string;
  readonly now?: Date;
}

export interface DocsResult {
  catalogFile: string;
  siteFile: string;
  catalog: Catalog;
  data: DocsData;
}

export async function generateDocs(o: DocsOptions): Promise<DocsResult> {
  const manifest = readManifest(o.targetDir);
  const project = manifest.metadata.project_name ?? '';
  const relations: RelationRef[] = [];
  const snapshots: Array<{ id: string; schema: string; table: string }> = [];
  for (const n of [...Object.values(manifest.nodes), ...Object.values(manifest.sources)]) {
    if (!['model', 'seed', 'snapshot', 'source'].includes(n.resource_type)) continue;
    if (n.resource_type === 'model' && n.config?.materialized === 'ephemeral') continue;
    const rel = relationOf(n);
    if (!rel) continue;
    relations.push({ uniqueId: n.unique_id, kind: n.resource_type === 'source' ? 'source' : 'node', ...rel });
    if (n.resource_type === 'snapshot') snapshots.push({ id: n.unique_id, ...rel });
  }
  const history = await readHistory(o.db, o.metaSchema);
  const catalog = await readCatalog(o.db, relations, {
    exactRows: latestCounts(history),
    now: o.now,
    invocationId: manifest.metadata.invocation_id,
    version: o.version,
  });
  const snapshotDays = new Map<string, SnapshotDay[]>();
  for (const s of snapshots) snapshotDays.set(s.id, await readSnapshotDays(o.db, s.schema, s.table));
  const data = buildDocsData({
    manifest,
    catalog,
    history,
    snapshotDays,
    compiledSql: (n) => compiledSql(o.targetDir, project, n),
    now: o.now,
  });
  const catalogFile = writeTargetFile(join(o.targetDir, CATALOG_FILE), JSON.stringify(catalog, null, 2));
  const dir = join(o.targetDir, DOCS_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const siteFile = writeTargetFile(join(dir, 'index.html'), renderSiteHtml(data));
  for (const e of catalog.errors ?? []) o.log.warn(`catalog: ${e}`);
  o.log.info(`documented ${data.nodes.length} node(s) with ${data.runs.length} run(s) of history`);
  return { catalogFile, siteFile, catalog, data };
}
