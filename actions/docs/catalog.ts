/**
 * target/catalog.json: what the warehouse holds for every relation of the manifest, read from
 * information_schema — columns with their types, row counts and sizes — in dbt's catalog v1
 * shape, so tools that read dbt's catalog read ours.
 * https://docs.getdbt.com/reference/artifacts/catalog-json
 *
 * Row counts: information_schema.TABLES.TABLE_ROWS is only InnoDB's estimate (and NULL for a
 * view), so where the last run counted a table exactly (pipeline_meta.table_counts) that count
 * wins, and the stat's description says which one it is.
 */
import type { Db } from '../platform/db.ts';
import { type ArtifactMetadata, artifactMetadata } from '../platform/run-results.ts';

export const CATALOG_FILE = 'catalog.json';
export const CATALOG_SCHEMA_URL = 'https://schemas.getdbt.com/dbt/catalog/v1.json';

/** A relation the manifest declares: a model, seed or snapshot (a node) or a source. */
export interface RelationRef {
  uniqueId: string;
  kind: 'node' | 'source';
  schema: string;
  table: string;
}

export interface CatalogColumn {
  type: string;
  index: number;
  name: string;
  comment: string | null;
}

export interface CatalogStat {
  id: string;
  label: string;
  value: boolean | string | number | null;
  include: boolean;
  description: string | null;
}

export interface CatalogTable {
  metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  columns: Record<string, CatalogColumn>;
  stats: Record<string, CatalogStat>;
  unique_id: string;
}

export interface Catalog {
  metadata: ArtifactMetadata;
  nodes: Record<string, CatalogTable>;
  sources: Record<string, CatalogTable>;
  errors: string[] | null;
}

interface TableRow {
  s: string;
  t: string;
  type: string;
  table_rows: string | number | null;
  data_length: string | number | null;
  index_length: string | number | null;
  comment: string | null;
}

interface ColumnRow {
  s: string;
  t: string;
  c: string;
  pos: string | number;
  type: string;
  comment: string | null;
}

const key = (schema: string, table: string) => `${schema}.${table}`;
const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));

/**
 * Reads the catalog of `relations`. `exactRows` holds the exact counts of the last run, by
 * `schema.table`. A relation that does not exist in the server is left out (dbt does the same)
 * and named in `errors`.
 */
export async function readCatalog(
  db: Db,
  relations: readonly RelationRef[],
  o: { exactRows?: ReadonlyMap<string, number>; now?: Date; invocationId?: string; version: string },
): Promise<Catalog> {
  const schemas = [...new Set(relations.map((r) => r.schema))];
  const tables = new Map<string, TableRow>();
  const columns = new Map<string, ColumnRow[]>();
  if (schemas.length > 0) {
    const marks = schemas.map(() => '?').join(', ');
    // One query per view of information_schema (not one per table): it is slow per call on MySQL 8.
    const trows = await db.query<TableRow>(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS type, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length,
              INDEX_LENGTH AS index_length, TABLE_COMMENT AS comment
         FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${marks})`,
      schemas,
    );
    for (const r of trows) tables.set(key(r.s, r.t), r);
    const crows = await db.query<ColumnRow>(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS c, ORDINAL_POSITION AS pos, COLUMN_TYPE AS type, COLUMN_COMMENT AS comment
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (${marks}) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
      schemas,
    );
    for (const r of crows) {
      const k = key(r.s, r.t);
      if (!columns.has(k)) columns.set(k, []);
      columns.get(k)!.push(r);
    }
  }
  const catalog: Catalog = {
    metadata: artifactMetadata(CATALOG_SCHEMA_URL, { generatedAt: o.now, invocationId: o.invocationId ?? null, dbtVersion: o.version }),
    nodes: {},
    sources: {},
    errors: null,
  };
  const missing: string[] = [];
  for (const r of relations) {
    const k = key(r.schema, r.table);
    const t = tables.get(k);
    if (!t) {
      missing.push(`${r.uniqueId}: the relation ${k} does not exist`);
      continue;
    }
    (r.kind === 'source' ? catalog.sources : catalog.nodes)[r.uniqueId] = catalogTable(r, t, columns.get(k) ?? [], o.exactRows?.get(k));
  }
  if (missing.length > 0) catalog.errors = missing;
  return catalog;
}

function catalogTable(r: RelationRef, t: TableRow, cols: ColumnRow[], exact: number | undefined): CatalogTable {
  const isView = t.type === 'VIEW';
  const estimate = isView ? null : num(t.table_rows);
  const rows = exact ?? estimate;
  const bytes = isView ? null : (num(t.data_length) ?? 0) + (num(t.index_length) ?? 0);
  const stats: Record<string, CatalogStat> = {
    has_stats: {
      id: 'has_stats',
      label: 'Has Stats?',
      value: !isView,
      include: false,
      description: 'Indicates whether there are statistics for this table',
    },
  };
  if (!isView) {
    stats.num_rows = {
      id: 'num_rows',
      label: '# Rows',
      value: rows,
      include: true,
      description: exact !== undefined ? 'Exact count of the last run' : 'Approximate count (information_schema.TABLES.TABLE_ROWS)',
    };
    stats.num_bytes = {
      id: 'num_bytes',
      label: 'Approximate Size',
      value: bytes,
      include: true,
      description: 'Data and index length in bytes',
    };
  }
  return {
    metadata: {
      type: isView ? 'VIEW' : 'BASE TABLE',
      schema: r.schema,
      name: r.table,
      database: null,
      // MariaDB and MySQL report 'VIEW' as the comment of every view.
      comment: t.comment && t.comment !== 'VIEW' ? t.comment : null,
      owner: null,
    },
    columns: Object.fromEntries(
      cols.map((c) => [
        c.c,
        { type: c.type, index: Number(c.pos), name: c.c, comment: c.comment ? c.comment : null } satisfies CatalogColumn,
      ]),
    ),
    stats,
    unique_id: r.uniqueId,
  };
}
