/**
 * Snapshots of a warehouse's published schemas, to prove that a fault changed nothing: the
 * CHECKSUM TABLE of every table, its definition, and the definition of every view. Two snapshots
 * compare equal exactly when a BI reader could not tell the warehouses apart.
 * https://mariadb.com/kb/en/checksum-table/
 */
import { qualified, type Db } from '../../actions/platform/db.ts';
import { OLD_SUFFIX, SHADOW_SUFFIX } from '../../actions/platform/schemas.ts';

export interface TableSnapshot {
  kind: 'table' | 'view';
  /** CHECKSUM TABLE ... EXTENDED for tables; null for views. */
  checksum: string | null;
  rows: number | null;
  /** SHOW CREATE TABLE without AUTO_INCREMENT=N, or SHOW CREATE VIEW's text. */
  definition: string;
}

export interface SchemaSnapshot {
  tables: Record<string, TableSnapshot>;
}

export interface Snapshot {
  takenAt: string;
  schemas: Record<string, SchemaSnapshot>;
}

export interface SnapshotOptions {
  /** Logical schema names (after the prefix) to leave out, e.g. the meta schema whose runs table every run writes. */
  exclude?: readonly string[];
}

/** Logical schemas that change on every run by design: the run log, and store_failures rows. */
export const VOLATILE_SCHEMAS = ['pipeline_meta', 'pipeline_audit'] as const;

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every schema of the prefix, shadow and old ones included. */
export async function schemasOfPrefix(db: Db, prefix: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY 1',
    [likePrefix(prefix)],
  );
  return rows.map((r) => r.name);
}

export function isShadowOrOld(schema: string): boolean {
  return schema.endsWith(SHADOW_SUFFIX) || schema.endsWith(OLD_SUFFIX);
}

/** The schemas readers see: the prefix's schemas that are neither shadow, old, nor excluded. */
export async function publishedSchemas(db: Db, prefix: string, options: SnapshotOptions = {}): Promise<string[]> {
  const exclude = new Set((options.exclude ?? VOLATILE_SCHEMAS).map((s) => prefix + s));
  return (await schemasOfPrefix(db, prefix)).filter((s) => !isShadowOrOld(s) && !exclude.has(s));
}

export async function snapshotSchema(db: Db, schema: string): Promise<SchemaSnapshot> {
  const objects = await db.query<{ name: string; type: string }>(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [schema],
  );
  const tables: Record<string, TableSnapshot> = {};
  for (const o of objects) {
    const name = qualified(schema, o.name);
    if (o.type === 'VIEW') {
      const [row] = await db.query<Record<string, string>>(`SHOW CREATE VIEW ${name}`);
      // The DEFINER is whoever ran the pipeline (root in one test, a least-privilege user in the
      // next): not content. A DEFINER smuggled in by a dump is checked by the untrusted-dump check.
      const definition = (row?.['Create View'] ?? '').replace(/ DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`/, '');
      tables[o.name] = { kind: 'view', checksum: null, rows: null, definition };
      continue;
    }
    const [create] = await db.query<Record<string, string>>(`SHOW CREATE TABLE ${name}`);
    // EXTENDED reads every row (QUICK would use a live checksum that only some engines keep).
    const [sum] = await db.query<{ Checksum: string | number | null }>(`CHECKSUM TABLE ${name} EXTENDED`);
    const [count] = await db.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${name}`);
    tables[o.name] = {
      kind: 'table',
      checksum: sum?.Checksum === null || sum?.Checksum === undefined ? null : String(sum.Checksum),
      rows: Number(count?.n ?? 0),
      // AUTO_INCREMENT=N is a counter, not content: a reload of the same rows may leave it elsewhere.
      definition: (create?.['Create Table'] ?? '').replace(/ AUTO_INCREMENT=\d+/, ''),
    };
  }
  return { tables };
}

/** A snapshot of every published schema of the prefix (or of the schemas given). */
export async function takeSnapshot(db: Db, prefix: string, options: SnapshotOptions & { schemas?: string[] } = {}): Promise<Snapshot> {
  const names = options.schemas ?? (await publishedSchemas(db, prefix, options));
  const schemas: Record<string, SchemaSnapshot> = {};
  for (const name of names) schemas[name] = await snapshotSchema(db, name);
  return { takenAt: new Date().toISOString(), schemas };
}

export interface SnapshotDifference {
  schema: string;
  table?: string;
  what: 'schema missing' | 'schema added' | 'table missing' | 'table added' | 'checksum' | 'definition' | 'kind';
  before?: string;
  after?: string;
}

/** Every way `after` differs from `before`; empty when they are identical. */
export function compareSnapshots(before: Snapshot, after: Snapshot): SnapshotDifference[] {
  const diffs: SnapshotDifference[] = [];
  const schemaNames = new Set([...Object.keys(before.schemas), ...Object.keys(after.schemas)]);
  for (const schema of [...schemaNames].sort()) {
    const a = before.schemas[schema];
    const b = after.schemas[schema];
    if (!b) {
      diffs.push({ schema, what: 'schema missing' });
      continue;
    }
    if (!a) {
      diffs.push({ schema, what: 'schema added' });
      continue;
    }
    const tableNames = new Set([...Object.keys(a.tables), ...Object.keys(b.tables)]);
    for (const table of [...tableNames].sort()) {
      const ta = a.tables[table];
      const tb = b.tables[table];
      if (!tb) diffs.push({ schema, table, what: 'table missing' });
      else if (!ta) diffs.push({ schema, table, what: 'table added' });
      else if (ta.kind !== tb.kind) diffs.push({ schema, table, what: 'kind', before: ta.kind, after: tb.kind });
      else if (ta.definition !== tb.definition)
        diffs.push({ schema, table, what: 'definition', before: ta.definition, after: tb.definition });
      else if (ta.checksum !== tb.checksum) {
        diffs.push({
          schema,
          table,
          what: 'checksum',
          before: `${ta.checksum} (${ta.rows} rows)`,
          after: `${tb.checksum} (${tb.rows} rows)`,
        });
      }
    }
  }
  return diffs;
}

export function describeDifferences(diffs: SnapshotDifference[], limit = 5): string {
  const lines = diffs.slice(0, limit).map((d) => {
    const where = d.table ? `${d.schema}.${d.table}` : d.schema;
    return d.before !== undefined
      ? `${where}: ${d.what} ${d.before.slice(0, 80)} -> ${(d.after ?? '').slice(0, 80)}`
      : `${where}: ${d.what}`;
  });
  if (diffs.length > limit) lines.push(`... and ${diffs.length - limit} more`);
  return lines.join('; ');
}

/** Number of tables and rows in a snapshot (for the report's "data protected" figures). */
export function snapshotSize(s: Snapshot): { schemas: number; tables: number; views: number; rows: number } {
  let tables = 0;
  let views = 0;
  let rows = 0;
  for (const schema of Object.values(s.schemas)) {
    for (const t of Object.values(schema.tables)) {
      if (t.kind === 'view') views++;
      else {
        tables++;
        rows += t.rows ?? 0;
      }
    }
  }
  return { schemas: Object.keys(s.schemas).length, tables, views, rows };
}

/**
 * Rows that a fault destroyed: for every table of `before` that is missing or changed in
 * `after`, the rows it had. Zero is the only acceptable figure.
 */
export function rowsAtRisk(before: Snapshot, diffs: SnapshotDifference[]): number {
  let n = 0;
  for (const d of diffs) {
    if (d.table === undefined) {
      for (const t of Object.values(before.schemas[d.schema]?.tables ?? {})) n += t.rows ?? 0;
    } else if (d.what !== 'table added') {
      n += before.schemas[d.schema]?.tables[d.table]?.rows ?? 0;
    }
  }
  return n;
}

/**
 * Tables whose content is the warehouse's history (DOMAIN.md "History"): the snapshots, and the
 * gold models read from them. They depend on every day run before, not only on the day's dump,
 * so a clean run of one day (a reference) cannot predict them; a fault must still leave them
 * byte-identical (compare the before and after snapshots with compareSnapshots).
 */
const HISTORY_GOLD_TABLES = new Set(['room_rent_changes', 'tenant_status_changes']);

export function isHistoryTable(schema: string, table: string | undefined): boolean {
  return /snapshots$/.test(schema) || (/gold$/.test(schema) && table !== undefined && HISTORY_GOLD_TABLES.has(table));
}

/** compareSnapshots against a day's reference: the history tables must exist, their rows are the run's own. */
export function compareWithReference(reference: Snapshot, actual: Snapshot): SnapshotDifference[] {
  return compareSnapshots(reference, actual).filter((d) => !(d.what === 'checksum' && isHistoryTable(d.schema, d.table)));
}
