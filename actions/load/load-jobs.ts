/**
 * What the loader sends to the connections (worker-pool.ts) for one table: its statements as
 * jobs, each with the dump's session settings where it stood, INSERT batches as LOAD DATA when
 * their rows are plain (load-data.ts), and the table's deferred secondary keys once its rows are
 * in. The per-table state the other steps read (rows, bytes, hash, timing) lives here too.
 */
import type { Hash } from 'node:crypto';
import { quoteIdent } from '../platform/db.ts';
import { loadDataFor } from './load-data.ts';
import { sessionSqlOf } from './session-settings.ts';
import type { StatementClassifier } from './statement-classifier.ts';
import type { InsertHead } from './table-spool.ts';
import type { Job, WorkerPool } from './worker-pool.ts';

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
}

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

  async submit(t: TableState, job: JobInput, after?: Promise<unknown>): Promise<{ done: Promise<void> }> {
    // Read into a reused buffer, the statement's bytes are kept by offset, or copied.
    if (this.dumpFile !== undefined && job.dumpOffset === undefined) {
      if (job.infile) job = { ...job, infile: { name: job.infile.name, data: Buffer.from(job.infile.data) } };
      else if (typeof job.sql !== 'string') job = { ...job, sql: Buffer.from(job.sql) };
    }
    const { done } = await this.pool.submit({ ...job, session: job.session ?? this.session(), after });
    t.tail = Promise.all([t.tail, done]).then(
      () => void (t.finished = Date.now()),
      () => {},
    );
    return { done };
  }

  /**
   * An INSERT batch: as LOAD DATA when its rows are plain (see load-data.ts), else as it is. Small
   * batches stay INSERTs (LOAD DATA costs an extra round trip per statement), and so do batches of
   * huge rows (the server reads a very long LOAD DATA field slowly).
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
  ): Promise<{ done: Promise<void> }> {
    if (this.useLoadData && plain && rows >= 20 && sql.length / rows < 8192) {
      const name = `load-${++this.loadDataBatches}`;
      const ld = loadDataFor(t.raw, sql, { ...head, ...plain }, head.charset, name);
      const rowsAt = dumpOffset === undefined ? undefined : dumpOffset + plain.first;
      return this.submit(
        t,
        { sql: ld.sql, infile: { name, data: ld.data }, dumpOffset: rowsAt, table: t.name, what: 'INSERT (as LOAD DATA)', ...at, session },
        t.created,
      );
    }
    this.insertBatches++;
    return this.submit(t, { sql, dumpOffset, table: t.name, what: 'INSERT', ...at, session }, t.created);
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
