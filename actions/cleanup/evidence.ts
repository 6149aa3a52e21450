/**
 * Evidence on the schemas the pipeline does not use (legacy and unknown), read from the server
 * in a handful of queries for all of them at once: what made them (origin.ts, from the names),
 * what uses them (views, routines, triggers and events of other schemas that name them; users
 * granted rights on them, from information_schema's *_PRIVILEGES), when they last changed and
 * whether they are read (performance_schema, when it is on). verdict.ts weighs it. Read only:
 * nothing is changed, let alone dropped.
 */
import type { Db } from '../platform/db.ts';
import type { Classifier } from './classify.ts';
import { readInventory, type InventoryOptions, type SchemaInventory } from './inventory.ts';
import { findOrigins } from './origin.ts';
import { decide, type Activity, type Grant, type Reference, type SchemaEvidence } from './verdict.ts';

export interface InvestigatedSchema extends SchemaInventory {
  /** For legacy and unknown schemas. */
  evidence?: SchemaEvidence;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export interface InvestigateOptions extends InventoryOptions {
  /** A change within this many days speaks against dropping. Default 30 (verdict.ts RECENT_DAYS). */
  recentDays?: number;
}

/**
 * The inventory with evidence on every legacy and unknown schema. Reads and writes are taken
 * before the inventory counts rows, so that its own COUNT(*)s are not among them.
 */
export async function readInvestigatedInventory(db: Db, classifier: Classifier, o: InvestigateOptions = {}): Promise<InvestigatedSchema[]> {
  const activity = await readActivity(db);
  const items: InvestigatedSchema[] = await readInventory(db, classifier, o);
  const targets = items.filter((s) => s.class === 'legacy' || s.class === 'unknown');
  if (targets.length === 0) return items;
  const names = new Set(targets.map((s) => s.schema));
  const [all, staging, refs, grants, [clock]] = await Promise.all([
    db.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA'),
    db.query<{ name: string }>(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
      [classifier.staging],
    ),
    readReferences(db, names),
    readGrants(db, names),
    db.query<{ now: string }>("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now"),
  ]);
  const schemas = new Set(all.map((r) => r.name));
  const stagingTables = new Set(staging.map((r) => r.name));
  for (const s of targets) {
    const tables = s.detail.filter((t) => t.type !== 'view').map((t) => t.name);
    const perSchema: Activity = {
      performanceSchema: activity.on,
      since: activity.since,
      ...(activity.on ? { reads: activity.bySchema.get(s.schema)?.reads ?? 0, writes: activity.bySchema.get(s.schema)?.writes ?? 0 } : {}),
    };
    const facts = {
      origins: findOrigins({ schema: s.schema, tables, schemas, stagingTables, logical: classifier.logical }),
      referencedBy: refs.get(s.schema) ?? [],
      grants: grants.get(s.schema) ?? [],
      lastUpdate: s.lastUpdate,
      lastCreate: s.lastCreate,
      activity: perSchema,
      empty: s.rows === 0,
      rowsExact: s.rowsExact,
      otherObjects: s.otherObjects,
      tables: s.tables,
      views: s.views,
    };
    s.evidence = {
      ...facts,
      verdict: decide({
        ...facts,
        schema: s.schema,
        class: s.class as 'legacy' | 'unknown',
        now: clock!.now,
        prefix: classifier.prefix,
        recentDays: o.recentDays,
      }),
    };
  }
  return items;
}

interface ServerActivity {
  on: boolean;
  since: string;
  bySchema: Map<string, { reads: number; writes: number }>;
}

/**
 * Row reads and writes per schema since the server started, from
 * performance_schema.table_io_waits_summary_by_table. performance_schema is off by default on
 * MariaDB and can be off on Aurora: then nothing is known, and the report says so.
 * https://dev.mysql.com/doc/refman/8.0/en/performance-schema-table-wait-summary-tables.html
 */
async function readActivity(db: Db): Promise<ServerActivity> {
  // SHOW GLOBAL STATUS works on MariaDB and MySQL 8 alike (MySQL 8 has no information_schema.GLOBAL_STATUS).
  const [uptime] = await db.query<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Uptime'");
  const [status] = await db.query<{ on: string | number; since: string }>(
    "SELECT @@performance_schema AS `on`, DATE_FORMAT(NOW() - INTERVAL ? SECOND, '%Y-%m-%d %H:%i:%s') AS since",
    [num(uptime?.Value)],
  );
  const on = num(status?.on) === 1;
  return { on, since: status?.since ?? '', bySchema: on ? await readTableIo(db) : new Map() };
}

/** Row reads and writes per schema from performance_schema (empty when it is off). */
export async function readTableIo(db: Db): Promise<Map<string, { reads: number; writes: number }>> {
  const rows = await db.query<{ schema_name: string; reads: string; writes: string }>(
    `SELECT OBJECT_SCHEMA AS schema_name, SUM(COUNT_READ) AS \`reads\`, SUM(COUNT_WRITE) AS \`writes\`
     FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_TYPE = 'TABLE' GROUP BY OBJECT_SCHEMA`,
  );
  return new Map(rows.map((r) => [r.schema_name, { reads: num(r.reads), writes: num(r.writes) }]));
}

/** Whether SQL text names `schema` as a qualifier: `schema`.x or schema.x. */
export function namesSchema(sql: string, schema: string): boolean {
  const quoted = '`' + schema.replace(/`/g, '``') + '`.';
  if (sql.includes(quoted)) return true;
  if (!/^[A-Za-z0-9_$]+$/.test(schema)) return false;
  return new RegExp(`(?:^|[^A-Za-z0-9_$\`.])${schema.replace(/\$/g, '\\$')}\\s*\\.`, 'i').test(sql);
}

const SYSTEM = "('mysql', 'information_schema', 'performance_schema', 'sys')";

/** Views, routines, triggers and events of other schemas whose definitions name one of `names`. */
async function readReferences(db: Db, names: Set<string>): Promise<Map<string, Reference[]>> {
  const rows = await db.query<{ schema_name: string; name: string; type: string; body: string | null }>(
    `SELECT TABLE_SCHEMA AS schema_name, TABLE_NAME AS name, 'view' AS type, VIEW_DEFINITION AS body
       FROM information_schema.VIEWS WHERE TABLE_SCHEMA NOT IN ${SYSTEM}
     UNION ALL SELECT ROUTINE_SCHEMA, ROUTINE_NAME, LOWER(ROUTINE_TYPE), ROUTINE_DEFINITION
       FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA NOT IN ${SYSTEM}
     UNION ALL SELECT TRIGGER_SCHEMA, TRIGGER_NAME, 'trigger', ACTION_STATEMENT
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA NOT IN ${SYSTEM}
     UNION ALL SELECT EVENT_SCHEMA, EVENT_NAME, 'event', EVENT_DEFINITION
       FROM information_schema.EVENTS WHERE EVENT_SCHEMA NOT IN ${SYSTEM}`,
  );
  const found = new Map<string, Reference[]>();
  for (const r of rows) {
    if (!r.body) continue;
    for (const schema of names) {
      if (schema === r.schema_name || !namesSchema(r.body, schema)) continue;
      const list = found.get(schema) ?? [];
      list.push({ schema: r.schema_name, name: r.name, type: r.type as Reference['type'] });
      found.set(schema, list);
    }
  }
  return found;
}

/** A privilege table's schema pattern as a test: `_` and `%` are wildcards unless escaped. */
export function schemaPattern(pattern: string): (schema: string) => boolean {
  if (!/(?<!\\)[_%]/.test(pattern)) return (s) => s === pattern.replace(/\\([_%\\])/g, '$1');
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  return (s) => compiled.test(s);
}

/**
 * Users with rights on the schema, its tables or its columns. information_schema shows every
 * grant to a user who may read the mysql schema (root, Aurora's admin), else only their own.
 */
async function readGrants(db: Db, names: Set<string>): Promise<Map<string, Grant[]>> {
  const rows = await db.query<{ grantee: string; pattern: string; privilege: string; level: Grant['level'] }>(
    `SELECT GRANTEE AS grantee, TABLE_SCHEMA AS pattern, PRIVILEGE_TYPE AS privilege, 'schema' AS level FROM information_schema.SCHEMA_PRIVILEGES
     UNION ALL SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, 'table' FROM information_schema.TABLE_PRIVILEGES
     UNION ALL SELECT GRANTEE, TABLE_SCHEMA, PRIVILEGE_TYPE, 'column' FROM information_schema.COLUMN_PRIVILEGES`,
  );
  const found = new Map<string, Grant[]>();
  const matchers = new Map<string, (s: string) => boolean>();
  for (const r of rows) {
    // Only a schema-level grant's name is a pattern (GRANT ... ON `db\_%`.*).
    const key = `${r.level}:${r.pattern}`;
    let matches = matchers.get(key);
    if (!matches) matchers.set(key, (matches = r.level === 'schema' ? schemaPattern(r.pattern) : (s: string) => s === r.pattern));
    for (const schema of names) {
      if (!matches(schema)) continue;
      const list = found.get(schema) ?? [];
      const pattern = r.level === 'schema' && r.pattern !== schema ? r.pattern : undefined;
      let g = list.find((x) => x.grantee === r.grantee && x.level === r.level && x.pattern === pattern);
      if (!g) list.push((g = { grantee: r.grantee, privileges: [], level: r.level, ...(pattern ? { pattern } : {}) }));
      if (!g.privileges.includes(r.privilege)) g.privileges.push(r.privilege);
      found.set(schema, list);
    }
  }
  return found;
}
