/**
 * What the loader sends to the connections (worker-pool.ts) for one table: its statements as
 * jobs, each with the dump's session settings where it stood, and the table's deferred secondary
 * keys once its rows are in. The per-table state the other steps read (rows, bytes, hash, timing)
 * lives here too.
 *
 * A table's plain INSERT batches (load-data.ts) are gathered into as few LOAD DATA statements as
 * it takes: one per table (or chunks that connections share, see loadChunkBytes), its rows streamed part after part from the dump file
 * (or the temporary file) when the server reads them. One statement per INSERT, as before, made
 * each ~1 MB batch its own transaction: on MariaDB the first one alone gets the bulk insert into an
 * empty table (no undo log, secondary keys sorted at the end), and a dominant table of 180 batches
 * loaded 2.4x slower than one LOAD DATA of the same rows (issue 20, measured on MariaDB 10.11).
 */
import type { Hash } from 'node:crypto';
import { quoteIdent } from '../platform/db.ts';
import { loadDataFor } from './load-data.ts';
import { sessionSqlOf } from './session-settings.ts';
import type { StatementClassifier } from './statement-classifier.ts';
import type { InsertHead } from './table-spool.ts';
import type { InfileFeed, InfilePart, Job, WorkerPool } from './worker-pool.ts';

/** Bytes of a group's parts held in memory (not the dump file's own) before they wait on disk. */
const GROUP_MEMORY = 16 << 20;

/** The plain batches of one table gathered so far, and what they need in common. */
interface Group {
  t: TableState;
  key: string;
  head: InsertHead;
  session?: Job['session'];
  at: At;
  parts: InfilePart[];
  rows: number;
  bytes: number;
  memory: number;
  /** The first batch as it was: sent as an INSERT when it stays alone and small. */
  first: { sql: Buffer; dumpOffset?: number };
  /** Once a second batch joins: the LOAD DATA runs, and the next parts are appended to it. */
  feed?: InfileFeed;
}

/** One table of the dump as the loader follows it. */
export interface TableState {
  /** The table's name, decoded (results, hashes, row checks, the swap). */
  name: string;
  /** Its name as the dump's bytes (latin1 characters), for statements sent to the load connections. */
  raw: string;
  /** The content hash so far: the loader version, session settings and every statement's bytes. */
  hash: Hash;
  rows: number;
  bytes: number;
  started: number;
  /** Its statements wait in the spool until its hash says whether it changed (unchanged-tables.ts). */
  spooled: boolean;
  created?: Promise<void>;
  /** Settles when every job of the table submitted so far is done. */
  tail: Promise<unknown>;
  firstLine: number;
  /** Secondary keys to add once the rows are in. */
  keys: string[];
  /** When its last statement so far finished. */
  finished?: number;
  /** Bytes of rows in one LOAD DATA at most (server-probe.ts loadChunkBytes). */
  chunkBytes: number;
  /** Seconds its statements ran on the server (not waiting in the queue). */
  serverSeconds: number;
}

const EMPTY = Buffer.alloc(0);

export type JobInput = Omit<Job, 'session'> & { session?: Job['session'] };

/** Where a statement is in the dump (for errors). */
export interface At {
  offset: number;
  line: number;
}

export class JobSender {
  /** LOAD DATA statements sent, and INSERT batches sent as they are. */
  loadDataBatches = 0;
  insertBatches = 0;
  private sessionCache = { version: -1, sql: '' };
  private group: Group | undefined;

  private readonly pool: WorkerPool;
  private readonly classifier: StatementClassifier;
  /** A plain local dump: queued bytes that are its own are read back from it (else copied). */
  private readonly dumpFile: string | undefined;
  private readonly useLoadData: boolean;

  constructor(pool: WorkerPool, classifier: StatementClassifier, dumpFile: string | undefined, useLoadData: boolean) {
    this.pool = pool;
    this.classifier = classifier;
    this.dumpFile = dumpFile;
    this.useLoadData = useLoadData;
  }

  /** The session settings in force at the current statement, as one SET (cached by version). */
  session(): { version: number; sql: string } {
    if (this.sessionCache.version !== this.classifier.sessionVersion)
      this.sessionCache = { version: this.classifier.sessionVersion, sql: sessionSqlOf(this.classifier.session) };
    return this.sessionCache;
  }

  /** Queues a job of table `t` (after the rows gathered so far, which go first). */
  async submit(t: TableState, job: JobInput, after?: Promise<unknown>): Promise<{ done: Promise<void> }> {
    await this.flush();
    return this.send(t, job, after);
  }

  private async send(
    t: TableState,
    job: JobInput,
    after?: Promise<unknown>,
    open = false,
  ): Promise<{ done: Promise<void>; feed?: InfileFeed }> {
    // Read into a reused buffer, the statement's bytes are kept by offset, or copied.
    if (this.dumpFile !== undefined && job.dumpOffset === undefined && typeof job.sql !== 'string')
      job = { ...job, sql: Buffer.from(job.sql) };
    const timed = (s: number) => void (t.serverSeconds += s);
    const full: Job = { ...job, session: job.session ?? this.session(), after, timed };
    const { done, feed } = open ? await this.pool.submitStream(full) : { ...(await this.pool.submit(full)), feed: undefined };
    t.tail = Promise.all([t.tail, done]).then(
      () => void (t.finished = Date.now()),
      () => {},
    );
    return { done, feed };
  }

  /**
   * An INSERT batch: its rows join the table's LOAD DATA when they are plain (see load-data.ts),
   * else it goes as it is. Batches of huge rows stay INSERTs (the server reads a very long LOAD
   * DATA field slowly).
   */
  async insert(
    t: TableState,
    sql: Buffer,
    rows: number,
    plain: { first: number; last: number } | undefined,
    head: InsertHead,
    at: At,
    session?: Job['session'],
    dumpOffset?: number,
  ): Promise<void> {
    if (!this.useLoadData || !plain || sql.length / rows >= 8192) {
      await this.flush();
      this.insertBatches++;
      await this.send(t, { sql, dumpOffset, table: t.name, what: 'INSERT', ...at, session }, t.created);
      return;
    }
    const s = session ?? this.session();
    const key = `${s.version}|${head.columns ?? ''}|${head.ignore}|${head.replace}|${head.charset}`;
    if (this.group && (this.group.t !== t || this.group.key !== key)) await this.flush();
    const g = (this.group ??= {
      t,
      key,
      head,
      session: s,
      at,
      parts: [],
      rows: 0,
      bytes: 0,
      memory: 0,
      first: { sql: dumpOffset === undefined && this.dumpFile !== undefined ? Buffer.from(sql) : sql, dumpOffset },
    });
    const data = sql.subarray(plain.first, plain.last + 1);
    let part: InfilePart;
    if (dumpOffset !== undefined && this.dumpFile !== undefined) part = { data, dumpOffset: dumpOffset + plain.first };
    else if (g.memory + data.length > GROUP_MEMORY) part = { spilled: this.pool.keep(data) };
    else {
      // Bytes of the reused read buffer are copied; a statement's own buffer is kept as it is.
      part = { data: this.dumpFile !== undefined ? Buffer.from(data) : data };
      g.memory += data.length;
    }
    g.rows += rows;
    g.bytes += data.length;
    if (g.feed) g.feed.append(part);
    else {
      g.parts.push(part);
      // Two batches make a LOAD DATA: it starts now and reads the rest as the dump is read on.
      if (g.parts.length === 2) g.feed = (await this.sendLoadData(g, true)).feed;
    }
    if (g.bytes >= t.chunkBytes) await this.flush();
  }

  /** Sends the rows gathered so far as one LOAD DATA (or, one small batch, as its INSERT). */
  async flush(): Promise<void> {
    const g = this.group;
    if (!g) return;
    this.group = undefined;
    const { t, at, session } = g;
    if (g.feed) {
      g.feed.end();
      return;
    }
    if (g.parts.length === 1 && g.rows < 20 && 'data' in g.parts[0]!) {
      // LOAD DATA costs a round trip more than an INSERT: not worth it for a few rows.
      this.insertBatches++;
      await this.send(t, { sql: g.first.sql, dumpOffset: g.first.dumpOffset, table: t.name, what: 'INSERT', ...at, session }, t.created);
      return;
    }
    await this.sendLoadData(g, false);
  }

  /** The group's rows as one LOAD DATA: whole, or (`open`) with the parts still to come appended to its feed. */
  private async sendLoadData(g: Group, open: boolean): Promise<{ feed?: InfileFeed }> {
    const { t, at, session } = g;
    const name = `load-${++this.loadDataBatches}`;
    const { sql } = loadDataFor(t.raw, EMPTY, { ...g.head, first: 0, last: -1 }, g.head.charset, name);
    const job: JobInput = { sql, infile: { name, parts: g.parts }, table: t.name, what: `INSERT (rows as one LOAD DATA)`, ...at, session };
    return this.send(t, job, t.created, open);
  }

  /** The table's deferred secondary keys, after every job of the table so far. */
  addKeys(t: TableState, at: At = { offset: 0, line: t.firstLine }): Promise<{ done: Promise<void> }> {
    return this.submit(t, { sql: addKeysSql(t), table: t.name, what: 'ALTER TABLE (secondary indexes)', ...at }, t.tail);
  }
}

/** The deferred secondary keys of a table as one ALTER TABLE (and forgets them). */
export function addKeysSql(t: TableState): string {
  const sql = `ALTER TABLE ${quoteIdent(t.raw)} ${t.keys.map((k) => `ADD ${k}`).join(', ')}`;
  t.keys = [];
  return sql;
}
