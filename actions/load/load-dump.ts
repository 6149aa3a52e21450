/**
 * The staging loader: dump bytes → statements → classified actions → parallel load into a shadow
 * schema → checks → atomic swap into the target (or, with `publish: false`, the loaded shadow and
 * its swap plan are returned for the caller's own combined swap).
 *
 * Orchestration only; each step is its own module, in the order they run:
 *   server-probe.ts        probing (and leftovers of a killed run removed)
 *   unchanged-dump.ts      the same dump as the published one: nothing to do
 *   statement-dispatch.ts  dispatch of each statement (jobs in load-jobs.ts, value checks in
 *                          value-checks.ts, the unchanged-table check in unchanged-tables.ts)
 *   load-checks.ts         row-count audit, view and routine compilation
 *   load-results.ts        results and the swap plan; publishing in shadow-swap.ts
 *   load-failures.ts       error mapping
 * The published target is never touched before the checks pass.
 */
import { quoteIdent, type Db } from '../platform/db.ts';
import { type DumpFingerprint, forgetLoadHashes, recordLoadHashes } from '../platform/load-hashes.ts';
import type { Logger } from '../platform/log.ts';
import type { LoadResult } from '../platform/run-results.ts';
import { publishShadow, type SwapPlan } from '../platform/shadow-swap.ts';
import { dumpBytes, plainDumpFile, reusedChunks, type DumpSource } from './dump-source.ts';
import { DumpSplitter } from './dump-splitter.ts';
import { auditRowCounts, compileObjects } from './load-checks.ts';
import { loadFailure, truncatedDump } from './load-failures.ts';
import { JobSender } from './load-jobs.ts';
import { round, swapPlanOf, tableResults } from './load-results.ts';
import { bulkBuildsKeys, loadChunkBytes, probeServer } from './server-probe.ts';
import { excerpt, StatementClassifier } from './statement-classifier.ts';
import { StatementDispatch } from './statement-dispatch.ts';
import { TableSpool } from './table-spool.ts';
import { type FileHash, hashFileInWorker } from './file-hash.ts';
import { fingerprintOf, unchangedDump, unchangedPlan } from './unchanged-dump.ts';
import { WorkerPool } from './worker-pool.ts';

export { LOADER_HASH_VERSION } from './statement-dispatch.ts';
export { serverFlavor } from './server-probe.ts';

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
  /** Load connections. Default: the server's CPUs (see server-probe.ts), 2 to 8. */
  threads?: number;
  /** Load triggers, routines and events too. Default false (skipped and counted). */
  withRoutines?: boolean;
  /** Swap into the target (default true). False: leave the loaded shadow and return its plan. */
  publish?: boolean;
  /**
   * Create plain secondary indexes after a table's rows (see secondary-keys.ts). Default: not on
   * MariaDB 10.6 and later, whose bulk insert into an empty table already builds them by sorting
   * (a table's rows go in one LOAD DATA, load-jobs.ts): adding them afterwards cost more there
   * (issue 20: 3.1 s + 1.4 s against 3.9 s with the keys); elsewhere (MySQL 8, Aurora) yes.
   */
  deferIndexes?: boolean;
  /**
   * Use the server's bulk insert into an empty table: each table's rows in one LOAD DATA, secondary
   * keys left in the CREATE (unless `deferIndexes`). Default: on MariaDB 10.6 and later
   * (bulkBuildsKeys in server-probe.ts). False shapes the load as for MySQL 8 and Aurora: keys
   * deferred, and a big table cut into chunks that connections load side by side where the server
   * runs them in parallel (loadChunkBytes; tests/load/autoinc-chunks.test.ts proves that path on MariaDB).
   */
  bulkInsert?: boolean;
  /** Bytes of rows in one chunk of a table that connections share (default 64 MB, SHARED_CHUNK_BYTES; tests use less). */
  chunkBytes?: number;
  /**
   * Send plain INSERT batches as LOAD DATA LOCAL INFILE (load-data.ts). Default true: measured with
   * `npm run bench:load`, 1.34x-1.41x faster than INSERT on MariaDB 10.11. False sends every batch
   * as the dump's INSERT.
   */
  loadData?: boolean;
  /** Bytes of queued statements held in memory before they wait on disk (default 32 MB; tests use less). */
  maxQueuedBytes?: number;
  /** Reload every table even when its content hash matches the last load. Default false. */
  force?: boolean;
  /** The plain dump file's hash, when its hashing was started earlier (the CLI starts it before loading its modules). */
  fileHash?: Promise<FileHash>;
}

export interface LoadOutcome extends LoadResult {
  /** What to swap, when not published (`publish: false`); see shadow-swap.ts. */
  plan: SwapPlan;
  /** The dump as a whole (a plain local file), for recordLoadHashes after the caller's swap. */
  fingerprint?: DumpFingerprint;
}

export async function loadDump(db: Db, o: LoadOptions, log: Logger): Promise<LoadOutcome> {
  const startedAt = Date.now();
  const names = { target: o.schema, shadow: o.shadowSchema ?? `${o.schema}__shadow`, old: o.oldSchema ?? `${o.schema}__old` };
  const publish = o.publish ?? true;
  const server = await probeServer(db, { ...names, metaSchema: o.metaSchema, force: o.force ?? false, threads: o.threads });
  const bulk = o.bulkInsert ?? bulkBuildsKeys(server.flavor);
  const dumpFile = plainDumpFile(o.source);
  const withRoutines = o.withRoutines ?? false;
  const fileHash = dumpFile !== undefined ? (o.fileHash ?? hashFileInWorker(dumpFile)) : undefined;
  if (dumpFile !== undefined && fileHash && !o.force) {
    const same = await unchangedDump(db, { metaSchema: o.metaSchema, target: names.target, dumpFile, fileHash, withRoutines }, server);
    if (same) return sameDumpOutcome(db, o, names, same, startedAt, server.threads, log);
  }
  const spool = new TableSpool(dumpFile);
  let dispatch: StatementDispatch | undefined;
  // Tables that may be unchanged are spooled; their VALUES are checked only if they are loaded.
  const classifier = new StatementClassifier({
    flavor: server.flavor,
    withRoutines,
    collations: server.collations,
    otherSchemas: server.otherSchemas,
    deferValuesCheck: (t) => dispatch?.tables.get(t)?.spooled === true,
  });
  const pool = await WorkerPool.open(db.settings, {
    threads: server.threads,
    schema: names.shadow,
    dumpFile,
    maxQueuedBytes: o.maxQueuedBytes,
  });
  const sender = new JobSender(pool, classifier, dumpFile, o.loadData ?? true);
  dispatch = new StatementDispatch({
    classifier,
    sender,
    spool,
    previous: server.previous,
    published: server.published,
    dumpFile,
    deferIndexes: o.deferIndexes ?? !bulk,
    chunkBytes: (autoIncrement) => loadChunkBytes(bulk, server.autoincLockMode, autoIncrement, o.chunkBytes),
    log,
  });
  const progress = log.progress({ label: `loading ${o.source.name}`, unit: 'bytes' });
  const splitter = new DumpSplitter();
  let bytes = 0;
  try {
    // A plain local file is read into one reused buffer: queued statements are read back from
    // the file at their offset, and anything else kept is copied (see JobSender.submit).
    for await (const chunk of dumpFile !== undefined ? reusedChunks(dumpFile) : dumpBytes(o.source)) {
      bytes += chunk.length;
      progress.set(bytes);
      for (const stmt of splitter.push(chunk)) await dispatch.handle(stmt);
      if (dumpFile !== undefined) splitter.detach();
    }
    for (const stmt of splitter.end()) {
      if (!stmt.terminated)
        throw truncatedDump(o.source.name, splitter.stats.bytes, { offset: stmt.offset, line: stmt.line, excerpt: excerpt(stmt.sql) });
      await dispatch.handle(stmt);
    }
    progress.finish();
    if (!splitter.stats.trailer) throw truncatedDump(o.source.name, splitter.stats.bytes, dispatch.lastStatement);
    await sender.flush();
    await pool.flush();
    const { unchanged, hashes } = await dispatch.finish();
    await sender.flush();
    await pool.flush();

    await auditRowCounts(
      db,
      names.shadow,
      dispatch.order.filter((n) => !unchanged.has(n)).map((n) => dispatch!.tables.get(n)!),
    );
    const results = tableResults(dispatch, unchanged, hashes, server.previous, server.published);
    const plan = swapPlanOf(dispatch, names, unchanged, server.published, server.publishedViews);
    await compileObjects(db, plan);
    await pool.close();
    const refused = dispatch.refused;
    const skipped = [...dispatch.skipped.entries()].map(([reason, count]) => ({ reason, count }));
    const collationMappings = server.collations.mappings();
    const hashed = await fileHash?.catch(() => undefined);
    // Recorded only when the file hashed is the file parsed (not rewritten meanwhile).
    const whole: DumpFingerprint | undefined =
      hashed?.size !== bytes
        ? undefined
        : {
            hash: fingerprintOf({ withRoutines, flavor: server.flavor }, hashed),
            bytes,
            outcome: {
              tables: results,
              refused,
              skipped,
              skippedRoutines: dispatch.skippedRoutines,
              collationMappings,
              views: plan.objects.filter((x) => x.type === 'VIEW').map((x) => x.name),
            },
          };
    if (publish) {
      await forgetLoadHashes(db, o.metaSchema, names.target, [...plan.replace, ...plan.drop]);
      await publishShadow(db, plan, log);
      await recordLoadHashes(db, o.metaSchema, names.target, results, whole);
    }
    return {
      source: o.source.name,
      schema: publish ? names.target : names.shadow,
      shadowSchema: publish ? undefined : names.shadow,
      dumpDate: o.source.date,
      bytes,
      seconds: round((Date.now() - startedAt) / 1000),
      threads: server.threads,
      batches: { loadData: sender.loadDataBatches, insert: sender.insertBatches },
      spilledBytes: pool.spilledBytes,
      tables: results,
      refused,
      skipped,
      skippedRoutines: dispatch.skippedRoutines,
      collationMappings,
      published: publish,
      plan,
      fingerprint: whole,
    };
  } catch (err) {
    progress.finish();
    await pool.close();
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(names.shadow)}`).catch(() => {});
    throw loadFailure(err, o.source.name, names.shadow);
  } finally {
    spool.dispose();
  }
}

/**
 * The dump the published schema was last loaded from, byte for byte (unchanged-dump.ts): every
 * table unchanged, the recorded outcome reported again. With `publish: false` the caller still
 * gets an (empty) shadow schema and a swap plan that moves nothing.
 */
async function sameDumpOutcome(
  db: Db,
  o: LoadOptions,
  names: { target: string; shadow: string; old: string },
  same: DumpFingerprint,
  startedAt: number,
  threads: number,
  log: Logger,
): Promise<LoadOutcome> {
  const { tables, views: _views, ...reported } = same.outcome;
  const publish = o.publish ?? true;
  log.info(`${o.source.name} is byte for byte the dump ${names.target} was loaded from: every table unchanged`);
  const plan = unchangedPlan(names, same.outcome);
  await db.exec(`${publish ? 'DROP DATABASE IF EXISTS' : 'CREATE DATABASE IF NOT EXISTS'} ${quoteIdent(names.shadow)}`);
  return {
    source: o.source.name,
    schema: publish ? names.target : names.shadow,
    shadowSchema: publish ? undefined : names.shadow,
    dumpDate: o.source.date,
    bytes: same.bytes,
    seconds: round((Date.now() - startedAt) / 1000),
    threads,
    batches: { loadData: 0, insert: 0 },
    spilledBytes: 0,
    tables: tables
      .filter((t) => t.status !== 'dropped')
      .map(({ serverSeconds: _s, ...t }) => ({ ...t, status: 'unchanged' as const, seconds: 0 })),
    ...reported,
    published: publish,
    plan,
    fingerprint: same,
  };
}
