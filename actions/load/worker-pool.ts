/**
 * Several load connections fed from one queue. Statements of different tables run at once, and
 * the INSERT batches of one large table are spread over every connection too (InnoDB takes
 * concurrent inserts into one table; unique and foreign-key checks are off as in mysqldump's own
 * header). A job may wait for earlier jobs (an INSERT waits for its CREATE TABLE; an ALTER for
 * the table's INSERTs). Memory is bounded: `submit` waits while too many bytes are queued.
 *
 * Each connection is opened with the latin1 client character set so the dump's bytes are sent
 * exactly as they are (latin1 maps bytes 1:1 to characters), and then told with SET NAMES what
 * those bytes are, as the `mysql` client does. Session tracking is off so that mysql2 does not
 * switch its own encoding when the server reports the new character set. https://dev.mysql.com/doc/refman/8.0/en/charset-connection.html
 */
import { Readable } from 'node:stream';
import { openDb, quoteIdent, type Db, type DbSession, type DbSettings } from '../shared/db.ts';
import { PipelineError } from '../shared/errors.ts';

export interface Job {
  /** The statement: a Buffer of raw dump bytes, or DDL text (latin1, byte-preserving). */
  sql: Buffer | string;
  table?: string;
  /** For LOAD DATA LOCAL INFILE: the bytes served as the file `infile.name`. */
  infile?: { name: string; data: Buffer };
  /** Session settings the statement needs (`SET SESSION …`) and their version. */
  session: { version: number; sql: string };
  /** Jobs that must be done first. */
  after?: Promise<unknown>;
  /** Where the statement is in the dump, for errors. */
  offset: number;
  line: number;
  what: string;
}

export interface PoolOptions {
  threads: number;
  /** The schema statements run in (the shadow). */
  schema: string;
  /** Bytes queued before `submit` waits. Default 64 MB. */
  maxQueuedBytes?: number;
}

interface Worker {
  session: DbSession & { close(): Promise<void> };
  version: number;
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
  return new PipelineError(
    `the server rejected the ${job.what}${table} at ${where}: ${e.sqlMessage ?? e.message} (error ${e.errno ?? e.code}). The published schema is unchanged. To fix this, look at that statement in the dump; if the dump is right, report it with this message.`,
  );
}

export class WorkerPool {
  private queue: Array<{ job: Job; resolve: () => void; reject: (e: unknown) => void; size: number }> = [];
  private queuedBytes = 0;
  private waiters: Array<() => void> = [];
  private idle: Array<() => void> = [];
  private failure: PipelineError | undefined;
  private closed = false;
  private running: Promise<void>[] = [];
  private db: Db | undefined;
  private pending: Promise<void>[] = [];
  private readonly infiles = new Map<string, Buffer>();
  private workers: Worker[] = [];

  private constructor(private readonly o: PoolOptions) {}

  static async open(settings: DbSettings, o: PoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(o);
    // Without session tracking, mysql2 does not follow our SET NAMES and keeps sending bytes as latin1.
    // LOAD DATA LOCAL reads only the buffers this pool registered: a file name the server asks
    // for that is not one of them is refused (never a real file).
    const infileStreamFactory = (name: string) => {
      const data = pool.infiles.get(name);
      if (!data) return Readable.from([]).on('data', () => {}).destroy(new Error(`not a load buffer: ${name}`));
      pool.infiles.delete(name);
      return Readable.from([data]);
    };
    pool.db = await openDb(settings, { connections: 1, driver: { charset: 'LATIN1_SWEDISH_CI', flags: ['-SESSION_TRACK'], infileStreamFactory } });
    for (let i = 0; i < o.threads; i++) {
      const session = await pool.db.openSession();
      await session.exec(`USE ${quoteIdent(o.schema)}`);
      await session.exec('SET SESSION unique_checks = 0, foreign_key_checks = 0');
      pool.workers.push({ session, version: -1 });
    }
    pool.running = pool.workers.map((w) => pool.loop(w));
    return pool;
  }

  get error(): PipelineError | undefined {
    return this.failure;
  }

  /** Queues a job; resolves when it is queued (not done). The returned `done` settles when it ran. */
  async submit(job: Job): Promise<{ done: Promise<void> }> {
    if (this.failure) throw this.failure;
    const size = job.sql.length + (job.infile?.data.length ?? 0);
    while (this.queuedBytes > (this.o.maxQueuedBytes ?? 64 << 20) && !this.failure) {
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
    this.queue.push({ job, resolve, reject, size });
    this.queuedBytes += size;
    this.idle.shift()?.();
    return { done };
  }

  private async loop(w: Worker): Promise<void> {
    for (;;) {
      if (this.failure) return;
      const item = this.queue.shift();
      if (!item) {
        if (this.closed) return;
        await new Promise<void>((r) => this.idle.push(r));
        continue;
      }
      this.queuedBytes -= item.size;
      if (this.queuedBytes <= (this.o.maxQueuedBytes ?? 64 << 20)) for (const r of this.waiters.splice(0)) r();
      const { job } = item;
      try {
        if (job.after) await job.after;
        if (this.failure) throw this.failure;
        if (w.version !== job.session.version) {
          await w.session.exec(job.session.sql);
          w.version = job.session.version;
        }
        if (job.infile) this.infiles.set(job.infile.name, job.infile.data);
        await w.session.exec(typeof job.sql === 'string' ? job.sql : job.sql.toString('latin1'));
        item.resolve();
      } catch (err) {
        const failure = err instanceof PipelineError ? err : describeFailure(err, job, this.o.schema);
        this.fail(failure);
        item.reject(failure);
        return;
      }
    }
  }

  private fail(e: PipelineError): void {
    if (!this.failure) this.failure = e;
    for (const q of this.queue.splice(0)) q.reject(e);
    this.queuedBytes = 0;
    for (const r of this.waiters.splice(0)) r();
    for (const r of this.idle.splice(0)) r();
  }

  /** Runs one statement on a free connection outside the queue order (checks, views). */
  async direct<T>(fn: (s: DbSession) => Promise<T>): Promise<T> {
    return fn(this.workers[0]!.session);
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
  }
}
