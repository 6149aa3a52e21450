/**
 * The staging loader's engine: dump bytes → statements → classified actions → parallel load
 * into a shadow schema → checks → atomic swap into the target (or, with `publish: false`, the
 * loaded shadow and its swap plan are returned for the caller's own combined swap).
 *
 * Failures become a PipelineError naming the table and the dump position; the published
 * target is never touched before the checks pass, and leftovers of a killed run (shadow and
 * old schemas) are removed at the start of the next one.
 */
import { createHash, type Hash } from 'node:crypto';
import { isConnectionLost, qualified, quoteIdent, type Db, type DbSession } from '../platform/db.ts';
import { PipelineError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { LoadResult, LoadTableResult } from '../platform/run-results.ts';
import { createCollationMapper } from './collations.ts';
import { dumpBytes, plainDumpFile, reusedChunks, type DumpSource } from './dump-source.ts';
import { DumpSplitter, type Statement } from './dump-splitter.ts';
import { checkValues } from './insert-values.ts';
import { loadDataFor } from './load-data.ts';
import { splitSecondaryKeys } from './secondary-keys.ts';
import { forgetLoadHashes, loadedHashes, recordLoadHashes } from '../platform/load-hashes.ts';
import { baseTables, createObjects, publishShadow, views, type DeferredObject, type SwapPlan } from '../platform/shadow-swap.ts';
import { SESSION_VARS, StatementClassifier, excerpt } from './statement-classifier.ts';
import type { ServerFlavor } from './sql-text.ts';
import { removeStaleSpills } from './spill-file.ts';
import { TableSpool, type InsertHead } from './table-spool.ts';
import { WorkerPool, type Job } from './worker-pool.ts';

export interface LoadOptions {
  source: DumpSource;
  /** The published schema (physical name). */
  schema: string;
  /** Where the load is built. Default `<schema>__shadow`. */
  shadowSchema?: string;
  /** Where replaced tables go during the swap. Default `<schema>__old`. */
  oldSchema?: string;
  /** The pipeline's metadata schema (content hashes of loaded tables). */
  metaSchema: string;
  /** Load connections. Default: the server's CPUs (see defaultThreads), 2 to 8. */
  threads?: number;
  /** Load triggers, routines and events too. Default false (skipped and counted). */
  withRoutines?: boolean;
  /** Swap into the target (default true). False: leave the loaded shadow and return its plan. */
  publish?: boolean;
  /** Create plain secondary indexes after a table's rows (see secondary-keys.ts). Default true. */
  deferIndexes?: boolean;
  /**
   * Send plain INSERT batches as LOAD DATA LOCAL INFILE. Default false: measured with
   * `npm run bench:load`, it did not beat INSERT on MariaDB 10.11 (0.76x-0.97x).
   */
  loadData?: boolean;
  /** Bytes of queued statements held in memory before they wait on disk (default 32 MB; tests use less). */
  maxQueuedBytes?: number;
  /** Reload every table even when its content hash matches the last load. Default false. */
  force?: boolean;
}

export interface LoadOutcome extends LoadResult {
  /** What to swap, when not published (`publish: false`); see shadow-swap.ts. */
  plan: SwapPlan;
}

/** Part of every content hash: a loader change that alters what is loaded bumps it (reloads all). */
export const LOADER_HASH_VERSION = 'load-v7';

interface TableState {
  name: string;
  hash: Hash;
  rows: number;
  bytes: number;
  started: number;
  spooled: boolean;
  created?: Promise<void>;
  /** Settles when every job of the table submitted so far is done. */
  tail: Promise<unknown>;
  firstLine: number;
  /** Secondary keys to add once the rows are in. */
  keys: string[];
  /** When its last statement so far finished. */
  finished?: number;
}

export async function serverFlavor(db: Db): Promise<ServerFlavor> {
  const [{ v }] = await db.query<{ v: string }>('SELECT VERSION() AS v');
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  const id = m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 80000;
  return { mariadb: /mariadb/i.test(v), versionId: id };
}

async function serverCollations(db: Db): Promise<Set<string>> {
  try {
    const rows = await db.query<{ a: string; b: string }>(
      'SELECT COLLATION_NAME AS a, FULL_COLLATION_NAME AS b FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY',
    );
    return new Set(rows.flatMap((r) => [r.a.toLowerCase(), r.b.toLowerCase()]));
  } catch {
    const rows = await db.query<{ a: string }>('SELECT COLLATION_NAME AS a FROM information_schema.COLLATIONS');
    return new Set(rows.map((r) => r.a.toLowerCase()));
  }
}

/**
 * One connection per server CPU: each table loads on one connection (see worker-pool.ts), so
 * more connections than CPUs only make the biggest table wait for CPU time (measured with
 * `npm run bench:load`: 2 connections beat 3 and 4 on a 2-CPU server). MariaDB's
 * thread_pool_size defaults to the server's CPU count; elsewhere innodb_write_io_threads stands
 * in. Between 2 and 8.
 */
async function defaultThreads(db: Db): Promise<number> {
  for (const v of ['@@thread_pool_size', '@@innodb_write_io_threads']) {
    try {
      const [{ n }] = await db.query<{ n: number }>(`SELECT ${v} AS n`);
      if (Number(n) > 0) return Math.max(2, Math.min(8, Number(n)));
    } catch {
      // not a variable of this server
    }
  }
  return 4;
}

/** The SET statement that gives a connection the dump's session settings. */
function sessionSqlOf(session: Map<string, string>): string {
  const parts: string[] = [];
  for (const v of SESSION_VARS) {
    const value = session.get(v);
    if (value !== undefined) parts.push(`${v} = ${value}`);
    else if (v === 'character_set_client' || v === 'character_set_results' || v === 'character_set_connection')
      parts.push(`${v} = utf8mb4`);
    else if (v !== 'collation_connection') parts.push(`${v} = DEFAULT`);
  }
  return `SET SESSION ${parts.join(', ')}`;
}

export async function loadDump(db: Db, o: LoadOptions, log: Logger): Promise<LoadOutcome> {
  const startedAt = Date.now();
  const target = o.schema;
  const shadow = o.shadowSchema ?? `${target}__shadow`;
  const old = o.oldSchema ?? `${target}__old`;
  const publish = o.publish ?? true;
  // Leftovers of a killed or failed run: schemas, and temporary files on this machine.
  removeStaleSpills();
  await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(shadow)}`);
  await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(old)}`);
  const flavor = await serverFlavor(db);
  const collations = createCollationMapper(await serverCollations(db));
  const schemas = await db.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  const otherSchemas = new Set(schemas.map((r) => r.name.toLowerCase()).filter((n) => n !== target.toLowerCase()));
  const previous = o.force ? new Map<string, { hash: string; rows: number }>() : await loadedHashes(db, o.metaSchema, target);
  const published = await baseTables(db, target).catch(() => new Set<string>());
  const publishedViews = await views(db, target).catch(() => new Set<string>());
  await db.exec(`CREATE DATABASE ${quoteIdent(shadow)} CHARACTER SET utf8mb4`);
  const threads = o.threads ?? (await defaultThreads(db));
  // Tables that may be unchanged are spooled; their VALUES are checked only if they are loaded.
  const classifier = new StatementClassifier({
    flavor,
    withRoutines: o.withRoutines ?? false,
    collations,
    otherSchemas,
    deferValuesCheck: (t) => tables.get(t)?.spooled === true,
  });
  const splitter = new DumpSplitter();
  const dumpFile = plainDumpFile(o.source);
  const spool = new TableSpool(dumpFile);
  const pool = await WorkerPool.open(db.settings, { threads, schema: shadow, dumpFile, maxQueuedBytes: o.maxQueuedBytes });
  const tables = new Map<string, TableState>();
  const order: string[] = [];
  const objects: DeferredObject[] = [];
  const refused: LoadResult['refused'] = [];
  const skipped = new Map<string, number>();
  let skippedRoutines = 0;
  let sessionCache = { version: -1, sql: '' };
  const session = () => {
    if (sessionCache.version !== classifier.sessionVersion)
      sessionCache = { version: classifier.sessionVersion, sql: sessionSqlOf(classifier.session) };
    return sessionCache;
  };
  const progress = log.progress({ label: `loading ${o.source.name}`, unit: 'bytes' });
  let lastStatement: { offset: number; line: number; excerpt: string } | undefined;
  const useLoadData = o.loadData ?? true;
  let infileSeq = 0;
  let insertBatches = 0;

  const submit = async (t: TableState, job: Omit<Job, 'session'> & { session?: Job['session'] }, after?: Promise<unknown>) => {
    // Read into a reused buffer, the statement's bytes are kept by offset, or copied.
    if (dumpFile !== undefined && job.dumpOffset === undefined) {
      if (job.infile) job = { ...job, infile: { name: job.infile.name, data: Buffer.from(job.infile.data) } };
      else if (typeof job.sql !== 'string') job = { ...job, sql: Buffer.from(job.sql) };
    }
    const { done } = await pool.submit({ ...job, session: job.session ?? session(), after });
    t.tail = Promise.all([t.tail, done]).then(
      () => void (t.finished = Date.now()),
      () => {},
    );
    return { done };
  };

  /**
   * An INSERT batch: as LOAD DATA when its rows are plain (see load-data.ts), else as it is. Small
   * batches stay INSERTs (LOAD DATA costs an extra round trip per statement), and so do batches of
   * huge rows (the server reads a very long LOAD DATA field slowly).
   */
  const submitInsert = async (
    t: TableState,
    sql: Buffer,
    rows: number,
    plain: { first: number; last: number } | undefined,
    head: InsertHead,
    at: { offset: number; line: number },
    session?: Job['session'],
    dumpOffset?: number,
  ) => {
    if (useLoadData && plain && rows >= 20 && sql.length / rows < 8192) {
      const name = `load-${++infileSeq}`;
      const ld = loadDataFor(t.name, sql, { ...head, ...plain }, head.charset, name);
      const rowsAt = dumpOffset === undefined ? undefined : dumpOffset + plain.first;
      return submit(
        t,
        { sql: ld.sql, infile: { name, data: ld.data }, dumpOffset: rowsAt, table: t.name, what: 'INSERT (as LOAD DATA)', ...at, session },
        t.created,
      );
    }
    insertBatches++;
    return submit(t, { sql, dumpOffset, table: t.name, what: 'INSERT', ...at, session }, t.created);
  };

  /** A spooled table turned out changed: its statements go to the connections now. */
  const replayTable = async (t: TableState) => {
    t.spooled = false;
    t.rows = 0;
    for (const s of spool.read(t.name)) {
      const session = { version: s.sessionVersion + 1_000_000, sql: s.sessionSql };
      const at = { offset: s.offset, line: s.line };
      if (s.kind === 'insert') {
        let { rows, plain } = s;
        if (s.valuesAt !== undefined) {
          const check = checkValues(s.sql, s.valuesAt);
          if (!check.ok) {
            refused.push({
              statement: excerpt(s.sql),
              reason: `INSERT into ${s.table}: ${check.reason} (at byte ${check.at} of the statement)`,
              ...at,
            });
            continue;
          }
          rows = check.rows;
          plain = check.plain ? check : undefined;
        }
        t.rows += rows!;
        await submitInsert(t, s.sql, rows!, plain, s.head!, at, session);
        continue;
      }
      const job = {
        sql: s.sql.toString('latin1'),
        table: s.table,
        what: s.kind === 'create-table' ? 'CREATE TABLE' : 'ALTER TABLE',
        ...at,
        session,
      };
      if (s.kind === 'create-table') t.created = (await submit(t, job)).done;
      else await submit(t, job, t.tail);
    }
    spool.discard(t.name);
  };
  /**
   * The dump moved on from the spooled table `t` (mysqldump writes a table's statements
   * together): if its hash so far differs from the last load's, it is changed, so it loads now.
   * If it matches, it waits: a later statement for it (an unusual dump) would still reload it.
   */
  let spooling: TableState | undefined;
  let previousTable: TableState | undefined;
  const addKeys = (t: TableState) =>
    submit(t, { sql: addKeysSql(t), table: t.name, what: 'ALTER TABLE (secondary indexes)', offset: 0, line: t.firstLine }, t.tail);
  const decide = async (t: TableState | undefined) => {
    if (!t?.spooled) return;
    if (t.hash.copy().digest('hex') !== previous.get(t.name)?.hash) await replayTable(t);
  };

  const handle = async (stmt: Statement) => {
    lastStatement = { offset: stmt.offset, line: stmt.line, excerpt: excerpt(stmt.head ? stmt.head(200) : stmt.sql) };
    const a = classifier.classify(stmt);
    const at = { offset: stmt.offset, line: stmt.line };
    switch (a.kind) {
      case 'create-table': {
        if (tables.has(a.table))
          throw new PipelineError(
            `the dump creates table ${a.table} twice (again at line ${stmt.line}, byte offset ${stmt.offset}) without dropping it. To fix this, check the dump.`,
          );
        await decide(spooling);
        // The dump moved on: the previous table's deferred keys are built while the next tables load.
        if (previousTable && !previousTable.spooled && previousTable.keys.length && tables.get(previousTable.name) === previousTable)
          await addKeys(previousTable);
        const split = o.deferIndexes === false ? { create: a.sql, keys: [] } : splitSecondaryKeys(a.sql);
        const t: TableState = {
          name: a.table,
          hash: createHash('sha256'),
          rows: 0,
          bytes: stmt.sql.length,
          started: Date.now(),
          spooled: previous.has(a.table) && published.has(a.table),
          tail: Promise.resolve(),
          firstLine: stmt.line,
          keys: split.keys,
        };
        const s = session();
        t.hash.update(LOADER_HASH_VERSION).update(s.sql).update(a.sql);
        tables.set(a.table, t);
        previousTable = t;
        order.push(a.table);
        spooling = t.spooled ? t : undefined;
        if (t.spooled)
          spool.write({
            table: a.table,
            kind: a.kind,
            sql: Buffer.from(split.create, 'latin1'),
            sessionVersion: s.version,
            sessionSql: s.sql,
            ...at,
          });
        else t.created = (await submit(t, { sql: split.create, table: a.table, what: 'CREATE TABLE', ...at })).done;
        return;
      }
      case 'insert':
      case 'alter-table': {
        const t = tables.get(a.table);
        if (!t)
          throw new PipelineError(
            `line ${stmt.line} (byte offset ${stmt.offset}) writes to table ${a.table}, which the dump has not created. To fix this, check the dump (is a CREATE TABLE missing?).`,
          );
        if (t.spooled && t !== spooling) await replayTable(t); // back to a table already passed: it changed
        let plain = a.kind === 'insert' ? a.values : undefined;
        if (a.kind === 'insert' && a.rows < 0 && !t.spooled) {
          // Classified while the table was spooled (VALUES not checked yet), but it loads now.
          const check = checkValues(a.sql, a.valuesAt!);
          if (!check.ok) {
            refused.push({
              statement: excerpt(stmt.sql),
              reason: `INSERT into ${a.table}: ${check.reason} (at byte ${check.at} of the statement)`,
              ...at,
            });
            return;
          }
          a.rows = check.rows;
          plain = check.plain ? check : undefined;
        }
        const s = session();
        t.hash.update(s.sql).update(a.sql);
        t.bytes += a.sql.length;
        if (a.kind === 'insert' && a.rows >= 0) t.rows += a.rows;
        if (a.kind === 'alter-table' && t.keys.length) {
          // The dump alters the table itself (a foreign key, say): its deferred keys go first.
          const keys = addKeysSql(t);
          if (t.spooled)
            spool.write({
              table: a.table,
              kind: 'alter-table',
              sql: Buffer.from(keys, 'latin1'),
              sessionVersion: s.version,
              sessionSql: s.sql,
              ...at,
            });
          else await submit(t, { sql: keys, table: t.name, what: 'ALTER TABLE (secondary indexes)', ...at }, t.tail);
        }
        // The statement's bytes are the dump file's own: a queued copy can be read back from it.
        const dumpOffset = dumpFile !== undefined && stmt.contiguous === true && a.sql === stmt.sql ? stmt.offset : undefined;
        const head = a.kind === 'insert' ? { ...a.head, charset: classifier.session.get('character_set_client') ?? 'utf8mb4' } : undefined;
        if (t.spooled)
          spool.write(
            {
              table: a.table,
              kind: a.kind,
              sql: typeof a.sql === 'string' ? Buffer.from(a.sql, 'latin1') : a.sql,
              sessionVersion: s.version,
              sessionSql: s.sql,
              valuesAt: a.kind === 'insert' ? a.valuesAt : undefined,
              rows: a.kind === 'insert' && a.rows >= 0 ? a.rows : undefined,
              plain,
              head,
              ...at,
            },
            dumpOffset,
          );
        else if (a.kind === 'insert') await submitInsert(t, a.sql, a.rows, plain, head!, at, undefined, dumpOffset);
        else await submit(t, { sql: a.sql, table: a.table, what: 'ALTER TABLE', ...at }, t.tail);
        return;
      }
      case 'drop-table':
        for (const name of a.tables) {
          const t = tables.get(name);
          if (!t) continue; // the shadow is fresh: nothing to drop
          tables.delete(name);
          order.splice(order.indexOf(name), 1);
          if (t.spooled) spool.discard(name);
          else await submit(t, { sql: `DROP TABLE IF EXISTS ${quoteIdent(name)}`, table: name, what: 'DROP TABLE', ...at }, t.tail);
          if (spooling === t) spooling = undefined;
        }
        return;
      case 'view':
        for (let i = objects.length - 1; i >= 0; i--) if (objects[i]!.type === 'VIEW' && objects[i]!.name === a.name) objects.splice(i, 1);
        objects.push({ type: 'VIEW', name: a.name, sql: toText(a.sql), sessionSql: session().sql });
        return;
      case 'routine':
        objects.push({ type: a.type, name: a.name, sql: toText(a.sql), sessionSql: session().sql });
        return;
      case 'session':
        return;
      case 'skip':
        if (/skipped \(load it with --with-routines\)/.test(a.reason)) skippedRoutines++;
        if (!a.quiet) skipped.set(a.reason, (skipped.get(a.reason) ?? 0) + 1);
        return;
      case 'refuse':
        refused.push({ statement: excerpt(stmt.sql), reason: a.reason, ...at });
        log.warn(`refused the statement at line ${stmt.line} (byte offset ${stmt.offset}): ${a.reason}`);
        return;
    }
  };

  let bytes = 0;
  try {
    // A plain local file is read into one reused buffer: queued statements are read back from
    // the file at their offset, and anything else kept is copied (see `submit` above).
    for await (const chunk of dumpFile !== undefined ? reusedChunks(dumpFile) : dumpBytes(o.source)) {
      bytes += chunk.length;
      progress.set(bytes);
      for (const stmt of splitter.push(chunk)) await handle(stmt);
      if (dumpFile !== undefined) splitter.detach();
    }
    for (const stmt of splitter.end()) {
      if (!stmt.terminated)
        throw truncated(o.source.name, splitter.stats.bytes, { offset: stmt.offset, line: stmt.line, excerpt: excerpt(stmt.sql) });
      await handle(stmt);
    }
    progress.finish();
    if (!splitter.stats.trailer) throw truncated(o.source.name, splitter.stats.bytes, lastStatement);
    await pool.flush();

    // Tables that may be unchanged: compare their content hash with the last load's.
    const hashes = new Map<string, string>();
    for (const t of tables.values()) hashes.set(t.name, t.hash.digest('hex'));
    const unchanged = [...tables.values()].filter((t) => t.spooled && previous.get(t.name)?.hash === hashes.get(t.name)).map((t) => t.name);
    const replay = [...tables.values()].filter((t) => t.spooled && !unchanged.includes(t.name)).map((t) => t.name);
    for (const name of replay) await replayTable(tables.get(name)!);
    // The deferred secondary indexes, each table's once its rows are in (tables in parallel).
    for (const t of tables.values()) if (t.keys.length && !unchanged.includes(t.name)) await addKeys(t);
    await pool.flush();

    // Checks: every loaded table holds as many rows as the dump gave it. Counted, not taken from
    // the server's affected rows: with unique checks off, MariaDB's bulk insert into an empty
    // table reports every row of an INSERT IGNORE with duplicates as inserted and keeps none.
    const loaded = order.filter((n) => !unchanged.includes(n));
    const results: LoadTableResult[] = [];
    for (const name of loaded) {
      const t = tables.get(name)!;
      const [{ n }] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(shadow, name)}`);
      if (Number(n) !== t.rows) {
        throw new PipelineError(
          `table ${name}: the server holds ${n} rows but the dump gave ${t.rows} (from line ${t.firstLine}). Rows were merged or lost (duplicate keys?). The published schema is unchanged. To fix this, check the table's INSERTs in the dump.`,
        );
      }
    }
    for (const name of order) {
      const t = tables.get(name)!;
      const isUnchanged = unchanged.includes(name);
      if (isUnchanged) t.rows = previous.get(name)!.rows;
      results.push({
        table: name,
        rows: t.rows,
        bytes: t.bytes,
        seconds: isUnchanged ? 0 : round(((t.finished ?? Date.now()) - t.started) / 1000),
        status: isUnchanged ? 'unchanged' : 'loaded',
        hash: hashes.get(name),
      });
    }
    const dropped = [...published].filter((n) => !tables.has(n));
    for (const name of dropped)
      results.push({
        table: name,
        rows: 0,
        bytes: 0,
        seconds: 0,
        status: 'dropped',
        message: 'not in the dump any more: removed from the schema',
      });
    const viewNames = new Set(objects.filter((x) => x.type === 'VIEW').map((x) => x.name));
    const plan: SwapPlan = {
      target,
      shadow,
      old,
      replace: loaded,
      drop: dropped,
      unchanged,
      dropViews: [...publishedViews].filter((v) => !viewNames.has(v) && !tables.has(v)),
      objects,
    };
    // Views and routines are checked in the shadow first (their definitions must compile).
    // Unchanged tables are not in the shadow: empty copies of their structure stand in meanwhile.
    if (objects.length) {
      await db
        .withSession(async (s) => {
          for (const t of unchanged) await s.exec(`CREATE TABLE ${qualified(shadow, t)} LIKE ${qualified(target, t)}`);
          await createObjects(s, plan, true, shadow);
          for (const o of objects) if (o.type !== 'VIEW') await s.exec(`DROP ${o.type} IF EXISTS ${qualified(shadow, o.name)}`);
          for (const o of objects) if (o.type === 'VIEW') await s.exec(`DROP VIEW IF EXISTS ${qualified(shadow, o.name)}`);
          for (const t of unchanged) await s.exec(`DROP TABLE IF EXISTS ${qualified(shadow, t)}`);
        })
        .catch((err) => {
          throw new PipelineError(
            `a view or routine of the dump does not compile: ${(err as Error).message}. The published schema is unchanged. To fix this, check its definition in the dump.`,
          );
        });
    }
    await pool.close();
    if (publish) {
      await forgetLoadHashes(db, o.metaSchema, target, [...plan.replace, ...plan.drop]);
      await publishShadow(db, plan, log);
      await recordLoadHashes(db, o.metaSchema, target, results);
    }
    return {
      source: o.source.name,
      schema: publish ? target : shadow,
      shadowSchema: publish ? undefined : shadow,
      dumpDate: o.source.date,
      bytes,
      seconds: round((Date.now() - startedAt) / 1000),
      threads,
      batches: { loadData: infileSeq, insert: insertBatches },
      spilledBytes: pool.spilledBytes,
      tables: results,
      refused,
      skipped: [...skipped.entries()].map(([reason, count]) => ({ reason, count })),
      skippedRoutines,
      collationMappings: collations.mappings(),
      published: publish,
      plan,
    };
  } catch (err) {
    progress.finish();
    await pool.close();
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(shadow)}`).catch(() => {});
    if (!(err instanceof PipelineError) && isConnectionLost(err)) {
      throw new PipelineError(
        `lost the database connection while loading ${o.source.name} into ${shadow}: ${(err as Error).message}. The published schema is unchanged; the next run removes what is left. To fix this, check the server and run the load again.`,
        { cause: err },
      );
    }
    throw err;
  } finally {
    spool.dispose();
  }
}

/** The deferred secondary keys of a table as one ALTER TABLE (and forgets them). */
function addKeysSql(t: TableState): string {
  const sql = `ALTER TABLE ${quoteIdent(t.name)} ${t.keys.map((k) => `ADD ${k}`).join(', ')}`;
  t.keys = [];
  return sql;
}

function truncated(name: string, bytes: number, last: { offset: number; line: number; excerpt: string } | undefined): PipelineError {
  const where = last ? ` The last statement starts at line ${last.line} (byte offset ${last.offset}): ${last.excerpt}` : '';
  return new PipelineError(
    `${name} is truncated or not a complete mysqldump: it does not end with the '-- Dump completed' trailer (read ${bytes} bytes).${where} The published schema is unchanged. To fix this, fetch the complete dump and run the load again.`,
  );
}

/** DDL text kept as latin1 (raw bytes) becomes a JS string for a utf8mb4 connection. */
function toText(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export type { DbSession };
