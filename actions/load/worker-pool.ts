/**
 * Several load connections fed from one queue. Different tables load at once, one connection
 * each while other tables wait; when none waits, the batches of one large table are spread over
 * the idle connections too (InnoDB takes concurrent inserts into one table; unique and foreign-key
 * checks are off as in mysqldump's own header). Sharing every table between connections from the
 * start was slower: concurrent LOAD DATA into a table with an AUTO_INCREMENT column is serialized
 * by its AUTO-INC lock, so the other tables waited behind the biggest one (actions/load/README.md).
 * A job may wait for earlier jobs (an INSERT waits for its CREATE TABLE; an ALTER for the table's
 * INSERTs). Memory is bounded: beyond a budget, queued bytes wait on disk (spill-file.ts), and
 * beyond the disk budget `submit` waits.
 *
 * Each connection is opened with the latin1 client character set so the dump's bytes are sent
 * exactly as they are (latin1 maps bytes 1:1 to characters), and then told with SET NAMES what
 * those bytes are, as the `mysql` client does. Session tracking is off so that mysql2 does not
 * switch its own encoding when the server reports the new character set. https://dev.mysql.com/doc/refman/8.0/en/charset-connection.html
 */
import { Readable } from 'node:stream';
import { openDb, quoteIdent, type Db, type DbSession, type DbSettings } from '../platform/db.ts';
import { dbErrorClass, explainDbFailure } from '../platform/db-errors.ts';
import { PipelineError } from '../platform/errors.ts';
import { SpillFile, type Spilled } from './spill-file.ts';

const EMPTY = Buffer.alloc(0);

export interface Job {
  /** The statement: a Buffer of raw dump bytes, or DDL text (latin1, byte-preserving). */
  sql: Buffer | string;
  table?: string;
  /** For LOAD DATA LOCAL INFILE: the bytes served as the file `infile.name`, part after part. */
  infile?: { name: string; parts: InfilePart[] };
  /** Session settings the statement needs (`SET SESSION …`) and their version. */
  session: { version: number; sql: string };
  /** Where the bytes of a Buffer `sql` are in a plain dump file, if they are its own. */
  dumpOffset?: number;
  /** Jobs that must be done first. */
  after?: Promise<unknown>;
  /** Where the statement is in the dump, for errors. */
  offset: number;
  line: number;
  what: string;
  /** Told how long the statement ran (seconds, retries included), once it succeeded. */
  timed?: (seconds: number) => void;
}

/**
 * A piece of a LOAD DATA's input: bytes (with where they are in a plain dump file, if they are its
 * own), or bytes already waiting on disk. The parts are streamed one after the other, read back
 * only when the server asks for them, so a table's rows go in one statement in constant memory.
 */
export type InfilePart = { data: Buffer; dumpOffset?: number } | { spilled: Spilled };

/**
 * A LOAD DATA whose rows are still being read from the dump: the statement runs from its first
 * parts on, the server reading each part as it is appended, until `end`. A table's one LOAD DATA
 * so starts when the parser reaches its first rows, not its last.
 */
export interface InfileFeed {
  append(part: InfilePart): void;
  end(): void;
}

export interface PoolOptions {
  threads: number;
  /** The schema statements run in (the shadow). */
  schema: string;
  /** Bytes of queued statements held in memory; beyond it they wait in a temporary file. Default 32 MB. */
  maxQueuedBytes?: number;
  /** Bytes the temporary file may hold before `submit` waits. Default 4 GB. */
  maxSpilledBytes?: number;
  /** Connections that may work on one table at once, when no other table waits. Default: all. */
  perTable?: number;
  /** A plain local dump file: queued bytes that are its own are read back from it, not copied. */
  dumpFile?: string;
}

interface Worker {
  session: DbSession & { close(): Promise<void> };
  version: number;
  /** Reused for the bytes of spilled jobs (one job at a time per connection). */
  scratch: Buffer;
}

interface Item {
  job: Job;
  /** Bytes held in memory. */
  size: number;
  /** Its `after` has settled (a job is taken only when ready). */
  ready: boolean;
  /** Where its bytes wait on disk, when the memory budget was spent. */
  spilled?: Spilled;
  /** A LOAD DATA's input: each part in memory or on disk. */
  parts?: Array<Buffer | Spilled>;
  /** Set while its parts are still being appended (an open InfileFeed). */
  open?: boolean;
  /** Wakes the reader of an open feed (a part was appended, the feed ended, or the load failed). */
  more?: () => void;
  /** Bytes of parts appended to its feed that are held in memory. */
  feedBytes?: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The server's message as text: on these latin1 connections mysql2 reads its bytes as latin1,
 * but the server wrote them in the dump's character_set_results (utf8mb4 almost always).
 */
function serverText(message: string): string {
  if (!/[\u0080-\u00ff]/.test(message) || /[^\u0000-\u00ff]/.test(message)) return message;
  try {
    return UTF8.decode(Buffer.from(message, 'latin1'));
  } catch {
    return message;
  }
}

/** A connection lost or killed under us: the message says so. */
function describeFailure(err: unknown, job: Job, shadow: string): PipelineError {
  const e = err as { code?: string; sqlMessage?: string; message?: string; errno?: number };
  const where = `line ${job.line}, byte offset ${job.offset}`;
  const table = job.table ? ` of table ${job.table}` : '';
  const lost = e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'ECONNRESET' || e.errno === 2013 || e.errno === 1927;
  if (lost) {
    return new PipelineError(
      `lost the database connection while running the ${job.what}${table} (${where}): ${e.message}. The published schema is unchanged; the half-loaded shadow schema ${shadow} is removed by the next run. To fix this, check the server and run the load again.`,
    );
  }
  // An operational class (read-only server, missing grant, packet too big, …): its own advice.
  if (dbErrorClass(err) !== 'server') {
    const explained = explainDbFailure(Object.assign(err as object, { sqlMessage: serverText(e.sqlMessage ?? e.message ?? '') }))!;
    return new PipelineError(`the ${job.what}${table} at ${where} failed: ${explained.message}`, { cause: err });
  }
  return new PipelineError(
    `the server rejected the ${job.what}${table} at ${where}: ${serverText(e.sqlMessage ?? e.message ?? '')} (error ${e.errno ?? e.code}). The published schema is unchanged. To fix this, look at that statement in the dump; if the dump is right, report it with this message.`,
  );
}

export class WorkerPool {
  private queue: Item[] = [];
  /** Bytes of queued jobs held in memory (spilled ones wait on disk). */
  private queuedBytes = 0;
  private readonly spill: SpillFile;
  private waiters: Array<() => void> = [];
  private idle: Array<() => void> = [];
  /** Jobs running per table. */
  private readonly active = new Map<string, number>();
  private failure: PipelineError | undefined;
  private closed = false;
  private running: Promise<void>[] = [];
  private db: Db | undefined;
  private pending: Promise<void>[] = [];
  private readonly infiles = new Map<string, () => Readable>();
  /** LOAD DATA statements whose parts are still being appended. */
  private readonly openFeeds = new Set<Item>();
  /** Bytes of parts appended to feeds held in memory, until their statement is done. */
  private feedBytes = 0;
  private workers: Worker[] = [];

  private readonly o: PoolOptions;
  private constructor(o: PoolOptions) {
    this.o = o;
    this.spill = new SpillFile(o.dumpFile);
  }

  static async open(settings: DbSettings, o: PoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(o);
    // Without session tracking, mysql2 does not follow our SET NAMES and keeps sending bytes as latin1.
    // LOAD DATA LOCAL reads only the buffers this pool registered: a file name the server asks
    // for that is not one of them is refused (never a real file).
    const infileStreamFactory = (name: string) => {
      const open = pool.infiles.get(name);
      if (!open)
        return Readable.from([])
          .on('data', () => {})
          .destroy(new Error(`not a load buffer: ${name}`));
      pool.infiles.delete(name);
      return open();
    };
    pool.db = await openDb(settings, {
      connections: 1,
      driver: { charset: 'LATIN1_SWEDISH_CI', flags: ['-SESSION_TRACK'], infileStreamFactory },
    });
    for (let i = 0; i < o.threads; i++) {
      const session = await pool.db.openSession();
      await session.exec(`USE ${quoteIdent(o.schema)}`);
      await session.exec('SET SESSION unique_checks = 0, foreign_key_checks = 0');
      pool.workers.push({ session, version: -1, scratch: Buffer.alloc(0) });
    }
    pool.running = pool.workers.map((w) => pool.loop(w));
    return pool;
  }

  get error(): PipelineError | undefined {
    return this.failure;
  }

  /** Bytes written to the temporary file so far (the parser ran ahead of the server). */
  get spilledBytes(): number {
    return this.spill.written;
  }

  /**
   * Queues a job; resolves when it is queued (not done). The returned `done` settles when it ran.
   * Beyond the memory budget a job's bytes wait in the temporary file, so the dump is read on to
   * the next tables while a big one loads; beyond the file's budget, `submit` waits.
   */
  async submit(job: Job): Promise<{ done: Promise<void> }> {
    const { done } = await this.enqueue(job, false);
    return { done };
  }

  private async enqueue(job: Job, open: boolean): Promise<{ done: Promise<void>; item: Item }> {
    if (this.failure) throw this.failure;
    const size = job.sql.length + (job.infile?.parts.reduce((a, p) => a + ('data' in p ? p.data.length : 0), 0) ?? 0);
    const maxQueued = this.o.maxQueuedBytes ?? 32 << 20;
    while (this.queuedBytes > maxQueued && this.spill.held > (this.o.maxSpilledBytes ?? 4 * 2 ** 30) && !this.failure) {
      await new Promise<void>((r) => this.waiters.push(r));
    }
    if (this.failure) throw this.failure;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => {}); // failures are reported through `flush`
    this.pending.push(done);
    const item: Item = { job, size, ready: job.after === undefined, open, resolve, reject };
    if (open) this.openFeeds.add(item);
    // The bulk of a job (LOAD DATA's rows, or an INSERT's bytes) waits on disk beyond the memory
    // budget, and always when it is the dump file's own bytes (nothing to copy then); DDL text stays.
    const inDump = job.dumpOffset !== undefined && this.o.dumpFile !== undefined;
    if (job.infile) {
      // Each part: the dump's own bytes are read back from it; the rest stays in memory within
      // the budget, else waits in the temporary file.
      let inMemory = 0;
      item.parts = job.infile.parts.map((p) => {
        const kept = this.keepPart(p, this.queuedBytes + inMemory + ('data' in p ? p.data.length : 0) > maxQueued);
        if (Buffer.isBuffer(kept)) inMemory += kept.length;
        return kept;
      });
      item.job = { ...job, infile: { name: job.infile.name, parts: [] } };
      item.size = job.sql.length + inMemory;
    } else if ((inDump || this.queuedBytes + size > maxQueued) && typeof job.sql !== 'string') {
      item.spilled = this.spill.keep(job.sql, job.dumpOffset);
      item.job = { ...job, sql: EMPTY };
      item.size = 0;
    }
    if (!item.ready) {
      const settled = () => {
        item.ready = true;
        this.wake();
      };
      job.after!.then(settled, settled);
    }
    this.queue.push(item);
    this.queuedBytes += item.size;
    this.wake();
    return { done, item };
  }

  /**
   * Queues a LOAD DATA whose parts come later (InfileFeed). Parts appended in memory count against
   * the memory budget until the statement is done; beyond it they wait on disk.
   */
  async submitStream(job: Job): Promise<{ done: Promise<void>; feed: InfileFeed }> {
    const { done, item } = await this.enqueue(job, true);
    const wakeReader = () => {
      const more = item.more;
      item.more = undefined;
      more?.();
    };
    const feed: InfileFeed = {
      append: (p) => {
        // Within the memory budget (the queue's and the open feeds' parts), else on disk.
        const size = 'data' in p ? p.data.length : 0;
        const kept = this.keepPart(p, this.queuedBytes + this.feedBytes + size > (this.o.maxQueuedBytes ?? 32 << 20));
        if (Buffer.isBuffer(kept)) {
          this.feedBytes += kept.length;
          item.feedBytes = (item.feedBytes ?? 0) + kept.length;
        }
        item.parts!.push(kept);
        wakeReader();
      },
      end: () => {
        item.open = false;
        this.openFeeds.delete(item);
        wakeReader();
      },
    };
    return { done, feed };
  }

  /** A part as the queue keeps it: the dump's own bytes by offset, others in memory or on disk. */
  private keepPart(p: InfilePart, toDisk: boolean): Buffer | Spilled {
    if ('spilled' in p) return p.spilled;
    if (p.dumpOffset !== undefined && this.o.dumpFile !== undefined) return this.spill.keep(p.data, p.dumpOffset);
    return toDisk ? this.spill.keep(p.data) : p.data;
  }

  private wake(): void {
    for (const r of this.idle.splice(0)) r();
  }

  /** The first ready job whose table has a free slot (jobs of one table keep their order). */
  private take(): Item | undefined {
    // First a table no connection works on, so tables load side by side; only when there is none,
    // one more connection on a table already loading (the last batches of a big table).
    for (const limit of [1, this.o.perTable ?? this.o.threads]) {
      const blocked = new Set<string>();
      for (let k = 0; k < this.queue.length; k++) {
        const item = this.queue[k]!;
        const table = item.job.table;
        if (table !== undefined && (blocked.has(table) || (this.active.get(table) ?? 0) >= limit)) continue;
        if (!item.ready) {
          if (table !== undefined) blocked.add(table);
          continue;
        }
        this.queue.splice(k, 1);
        return item;
      }
    }
    return undefined;
  }

  private async loop(w: Worker): Promise<void> {
    for (;;) {
      if (this.failure) return;
      const item = this.take();
      if (!item) {
        if (this.closed) return;
        await new Promise<void>((r) => this.idle.push(r));
        continue;
      }
      this.queuedBytes -= item.size;
      if (this.queuedBytes <= (this.o.maxQueuedBytes ?? 32 << 20)) for (const r of this.waiters.splice(0)) r();
      const table = item.job.table;
      if (table !== undefined) this.active.set(table, (this.active.get(table) ?? 0) + 1);
      let job = item.job;
      try {
        if (item.spilled) {
          if (w.scratch.length < item.spilled.length)
            w.scratch = Buffer.allocUnsafeSlow(Math.max(item.spilled.length, 2 * w.scratch.length));
          job = { ...job, sql: this.spill.read(item.spilled, w.scratch) };
          for (const r of this.waiters.splice(0)) r();
        }
        if (job.after) await job.after;
        if (this.failure) throw this.failure;
        if (w.version !== job.session.version) {
          await w.session.exec(job.session.sql);
          w.version = job.session.version;
        }
        const ran = Date.now();
        await this.execWithRetry(w, job, item);
        job.timed?.((Date.now() - ran) / 1000);
        item.resolve();
      } catch (err) {
        const failure = err instanceof PipelineError ? err : describeFailure(err, job, this.o.schema);
        this.fail(failure);
        item.reject(failure);
        return;
      } finally {
        for (const p of item.parts ?? []) if (!Buffer.isBuffer(p)) this.spill.release(p);
        this.feedBytes -= item.feedBytes ?? 0;
        if (item.parts) for (const r of this.waiters.splice(0)) r();
        if (table !== undefined) this.active.set(table, this.active.get(table)! - 1);
        this.wake();
      }
    }
  }

  /**
   * Concurrent INSERTs into one InnoDB table can deadlock (error 1213) or time out on a lock
   * (1205); the statement was rolled back whole (autocommit), so it is simply run again.
   * https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlocks-handling.html
   */
  private async execWithRetry(w: Worker, job: Job, item: Item): Promise<void> {
    const parts = item.parts;
    const sql = typeof job.sql === 'string' ? job.sql : job.sql.toString('latin1');
    for (let attempt = 0; ; attempt++) {
      if (job.infile && parts) this.infiles.set(job.infile.name, () => Readable.from(this.readParts(item)));
      try {
        await w.session.exec(sql);
        return;
      } catch (err) {
        const errno = (err as { errno?: number }).errno;
        if ((errno !== 1213 && errno !== 1205) || attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
  }

  /**
   * A LOAD DATA's parts in order, each read from disk only when the server wants more; an open
   * feed's reader waits for the next part (a failed load ends it with the failure).
   */
  private async *readParts(item: Item): AsyncGenerator<Buffer> {
    const parts = item.parts!;
    for (let i = 0; ; i++) {
      while (i >= parts.length) {
        if (this.failure) throw this.failure;
        if (!item.open) return;
        await new Promise<void>((r) => (item.more = r));
      }
      const p = parts[i]!;
      // A fresh buffer per part: the socket may still hold the previous one when the next is read.
      yield Buffer.isBuffer(p) ? p : this.spill.read(p, undefined, false);
    }
  }

  /** Bytes kept for a part that waits on disk now (the sender's memory budget is spent). */
  keep(data: Buffer): Spilled {
    return this.spill.keep(data);
  }

  private fail(e: PipelineError): void {
    if (!this.failure) this.failure = e;
    for (const item of this.openFeeds) item.more?.();
    this.openFeeds.clear();
    for (const q of this.queue.splice(0)) q.reject(e);
    this.queuedBytes = 0;
    for (const r of this.waiters.splice(0)) r();
    this.wake();
  }

  /** Waits for every job submitted so far; throws the first failure. */
  async flush(): Promise<void> {
    const pending = this.pending.splice(0);
    await Promise.allSettled(pending);
    if (this.failure) throw this.failure;
  }

  /** Stops everything: after a failure, or at the end. */
  async close(): Promise<void> {
    this.closed = true;
    if (!this.failure) this.fail(new PipelineError('the load was stopped'));
    await Promise.allSettled(this.running);
    await Promise.allSettled(this.workers.map((w) => w.session.close()));
    await this.db?.close().catch(() => {});
    this.spill.dispose();
  }
}
