/**
 * `inventory`: every schema on the server with its tables, views, rows, bytes, last update and
 * class. Rows are counted exactly (COUNT(*)) for small tables; for large ones the server's
 * estimate is shown and marked as such, since counting a large InnoDB table reads all of it.
 */
import { qualified, type Db } from '../platform/db.ts';
import type { Classifier, SchemaClass } from './classify.ts';
import { SYSTEM_SCHEMAS } from './classify.ts';
import { freshStatistics } from './space.ts';

export interface TableInventory {
  name: string;
  type: 'table' | 'view' | 'other';
  engine?: string;
  rows?: number;
  /** True when `rows` is a COUNT(*); false when it is information_schema's estimate. */
  rowsExact: boolean;
  dataBytes: number;
  indexBytes: number;
  updatedAt?: string;
  createdAt?: string;
}

export interface SchemaInventory {
  schema: string;
  class: SchemaClass;
  reason: string;
  tables: number;
  views: number;
  /** Triggers, routines and events, which a DROP DATABASE removes too. */
  otherObjects: number;
  rows: number;
  /** False when any table's rows are an estimate. */
  rowsExact: boolean;
  dataBytes: number;
  indexBytes: number;
  /** Latest UPDATE_TIME of its tables (InnoDB keeps it in memory only: empty after a restart). */
  lastUpdate?: string;
  /** Latest CREATE_TIME, shown when no update time is known. */
  lastCreate?: string;
  detail: TableInventory[];
}

export interface InventoryOptions {
  /** Tables whose estimated rows are at most this are counted exactly. Default 100,000. */
  exactRowLimit?: number;
  /** Only schemas whose name starts with this (tests, and a prefixed run's own view). Default all. */
  only?: (schema: string) => boolean;
  /** COUNT(*) queries run at once. Default 4. */
  concurrency?: number;
}

const DEFAULT_EXACT_LIMIT = 100_000;

interface TableRow {
  schema_name: string;
  table_name: string | null;
  table_type: string | null;
  engine: string | null;
  table_rows: string | number | null;
  data_length: string | number | null;
  index_length: string | number | null;
  update_time: string | null;
  create_time: string | null;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function readInventory(db: Db, classifier: Classifier, o: InventoryOptions = {}): Promise<SchemaInventory[]> {
  const limit = o.exactRowLimit ?? DEFAULT_EXACT_LIMIT;
  const rows = await db.withSession(async (s) => {
    await freshStatistics(s);
    return s.query<TableRow>(
      `SELECT s.SCHEMA_NAME AS schema_name, t.TABLE_NAME AS table_name, t.TABLE_TYPE AS table_type, t.ENGINE AS engine,
              t.TABLE_ROWS AS table_rows, t.DATA_LENGTH AS data_length, t.INDEX_LENGTH AS index_length,
              t.UPDATE_TIME AS update_time, t.CREATE_TIME AS create_time
       FROM information_schema.SCHEMATA s
       LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME
       ORDER BY s.SCHEMA_NAME, t.TABLE_NAME`,
    );
  });
  const others = await countOtherObjects(db);
  const bySchema = new Map<string, SchemaInventory>();
  const toCount: Array<{ inv: SchemaInventory; table: TableInventory }> = [];
  for (const r of rows) {
    if (o.only && !o.only(r.schema_name)) continue;
    let inv = bySchema.get(r.schema_name);
    if (!inv) {
      const c = classifier.classify(r.schema_name);
      inv = {
        schema: r.schema_name,
        class: c.class,
        reason: c.reason,
        tables: 0,
        views: 0,
        otherObjects: others.get(r.schema_name) ?? 0,
        rows: 0,
        rowsExact: true,
        dataBytes: 0,
        indexBytes: 0,
        detail: [],
      };
      bySchema.set(r.schema_name, inv);
    }
    if (r.table_name === null) continue;
    const type = r.table_type === 'VIEW' || r.table_type === 'SYSTEM VIEW' ? 'view' : /TABLE/.test(r.table_type ?? '') ? 'table' : 'other';
    const table: TableInventory = {
      name: r.table_name,
      type,
      engine: r.engine ?? undefined,
      rows: type === 'view' ? undefined : num(r.table_rows),
      rowsExact: false,
      dataBytes: num(r.data_length),
      indexBytes: num(r.index_length),
      updatedAt: r.update_time ?? undefined,
      createdAt: r.create_time ?? undefined,
    };
    inv.detail.push(table);
    if (type === 'view') inv.views++;
    else inv.tables++;
    inv.dataBytes += table.dataBytes;
    inv.indexBytes += table.indexBytes;
    if (table.updatedAt && (!inv.lastUpdate || table.updatedAt > inv.lastUpdate)) inv.lastUpdate = table.updatedAt;
    if (table.createdAt && (!inv.lastCreate || table.createdAt > inv.lastCreate)) inv.lastCreate = table.createdAt;
    const countable = type === 'table' && r.table_type === 'BASE TABLE' && !SYSTEM_SCHEMAS.has(r.schema_name.toLowerCase());
    if (countable && (table.rows ?? 0) <= limit) toCount.push({ inv, table });
  }
  await forEachLimit(toCount, o.concurrency ?? 4, async ({ inv, table }) => {
    try {
      const [row] = await db.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${qualified(inv.schema, table.name)}`);
      table.rows = num(row?.n);
      table.rowsExact = true;
    } catch {
      // A table dropped meanwhile, or one we may not read: keep the estimate, marked as such.
    }
  });
  for (const inv of bySchema.values()) {
    for (const t of inv.detail) {
      if (t.type === 'view') continue;
      inv.rows += t.rows ?? 0;
      if (!t.rowsExact) inv.rowsExact = false;
    }
  }
  return [...bySchema.values()];
}

/** Triggers, routines and events per schema. */
async function countOtherObjects(db: Db): Promise<Map<string, number>> {
  const rows = await db.query<{ schema_name: string; n: string | number }>(
    `SELECT schema_name, COUNT(*) AS n FROM (
       SELECT TRIGGER_SCHEMA AS schema_name FROM information_schema.TRIGGERS
       UNION ALL SELECT ROUTINE_SCHEMA FROM information_schema.ROUTINES
       UNION ALL SELECT EVENT_SCHEMA FROM information_schema.EVENTS
     ) AS o GROUP BY schema_name`,
  );
  return new Map(rows.map((r) => [r.schema_name, num(r.n)]));
}

export async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
