/**
 * Writes one schema as a mysqldump-format `.sql.gz` that the plain `mariadb`/`mysql` client loads
 * back, through the project's dump writer (actions/platform/dump-writer.ts: the envelope, DROP/CREATE
 * TABLE, LOCK TABLES, extended INSERTs cut where mysqldump cuts them, views last, the trailer).
 *
 * Fast because the work is spread: the server formats each row as its SQL tuple
 * (archive-select.ts), up to `parallel` tables are read at once on connections of their own with
 * a few pages read ahead, zlib compresses on its own thread, and the main thread only copies
 * tuples into the output. While writing it counts every table's rows and hashes the exact text
 * it hands to gzip (and the gzip bytes), so the file is verified by reading it back alone
 * (archive-reader.ts), without a second pass over the server.
 *
 * Each reading connection has its own consistent snapshot (mysqldump --single-transaction has
 * one for all): tables read at different moments agree only if nothing wrote meanwhile, which
 * cleanup proves with CHECKSUM TABLE before and after, as it must before it drops anything.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DumpWriter } from '../platform/dump-writer.ts';
import { openDb, qualified, quoteIdent, type Db, type DbSession } from '../platform/db.ts';
import { PipelineError } from '../platform/errors.ts';
import { pageSql, planTable, splitRange, type KeyRange, type TablePlan } from './archive-select.ts';
import { DigestStream } from './digest-stream.ts';

export interface TableCount {
  name: string;
  rows: number;
}

/** What the writer saw, and what reading the file back must find. */
export interface ArchiveManifest {
  schema: string;
  tables: TableCount[];
  views: string[];
  /** sha256 of the uncompressed SQL text. */
  textSha256: string;
}

export interface WrittenArchive extends ArchiveManifest {
  file: string;
  /** Size of the compressed file. */
  bytes: number;
  /** sha256 of the compressed file. */
  sha256: string;
}

/**
 * zlib level 1, chosen by measurement (bench:archive, README): on archive text level 1 compresses
 * about 3x faster than level 6 for files about a third larger, and level 6 alone is slower than
 * the server can hand over rows. Legacy archives are written once and rarely read.
 */
export const ARCHIVE_GZIP_LEVEL = 1;

export interface ArchiveWriteOptions {
  /** Rows fetched per page. Default 5000. */
  pageRows?: number;
  /** Tables (or parts of a large table) read at once, each on its own connection. Default 3. */
  parallel?: number;
  /** A table whose first key column is an integer is read in parts of about this many rows. Default 100,000. */
  partRows?: number;
  /** Pages a table reader keeps ready ahead of the writer. Default 4. */
  readAhead?: number;
  /** An INSERT statement is cut after about this many bytes (mysqldump's net_buffer_length). Default 1 MiB. */
  statementBytes?: number;
  /** zlib level. Default {@link ARCHIVE_GZIP_LEVEL}. */
  gzipLevel?: number;
  /** Shown in the header. */
  source?: string;
  now?: Date;
  onRows?: (n: number) => void;
}

const str = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

/**
 * Connections that return every value as the raw bytes the server sent (text protocol), rows as
 * arrays: the tuples arrive as the server wrote them, without per-value wrappers.
 */
async function openArchiveDb(db: Db, connections: number): Promise<Db> {
  return openDb(db.settings, { connections, driver: { rowsAsArray: true, typeCast: false } });
}

export async function writeSchemaArchive(db: Db, schema: string, path: string, o: ArchiveWriteOptions = {}): Promise<WrittenArchive> {
  const parallel = Math.max(1, o.parallel ?? 3);
  const archiveDb = await openArchiveDb(db, parallel + 1);
  const text = new DigestStream();
  const packed = new DigestStream();
  const file = createWriteStream(path, { flags: 'wx' });
  const done = pipeline(text, createGzip({ level: o.gzipLevel ?? ARCHIVE_GZIP_LEVEL, chunkSize: 256 << 10 }), packed, file);
  // A failing file (disk full) also fails the writer, which is where the error is reported.
  done.catch(() => {});
  try {
    const written = await archiveDb.withSession((s) => writeAll(s, archiveDb, schema, text, { ...o, parallel }));
    await done;
    return { ...written, textSha256: text.hash.digest('hex'), file: path, bytes: packed.bytes, sha256: packed.hash.digest('hex') };
  } catch (err) {
    text.destroy();
    await done.catch(() => {});
    throw err;
  } finally {
    await archiveDb.close();
  }
}

async function writeAll(
  s: DbSession,
  pool: Db,
  schema: string,
  out: DigestStream,
  o: ArchiveWriteOptions & { parallel: number },
): Promise<Omit<ArchiveManifest, 'textSha256'>> {
  // With the schema as the default database, SHOW CREATE VIEW/TABLE leave its own names
  // unqualified (as mysqldump's output), so the archive restores into a schema of any name.
  await s.exec(`USE ${quoteIdent(schema)}`);
  const [version] = await s.query<unknown[]>('SELECT VERSION()');
  const serverVersion = str(version![0]);
  const w = new DumpWriter(out, {
    flavor: /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql8',
    host: o.source ?? 'localhost',
    client: 'tokyobeta pipeline cleanup archive (mysqldump format, binary values as hex)',
    netBufferLength: o.statementBytes,
  });
  await w.begin(schema, serverVersion);
  const objects = (
    await s.query<unknown[]>('SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [
      schema,
    ])
  ).map((r) => ({ name: str(r[0]), type: str(r[1]) }));
  const plans = await planTables(
    s,
    schema,
    objects.filter((x) => x.type === 'BASE TABLE').map((x) => x.name),
  );
  const units: Unit[] = [];
  for (const plan of plans) for (const range of await ranges(s, schema, plan, o.partRows ?? 100_000)) units.push({ plan, range });
  const readers = new ReadAhead(pool, schema, units, o);
  const tables: TableCount[] = [];
  try {
    for (let u = 0; u < units.length; ) {
      const p = units[u]!.plan;
      const [create] = await s.query<unknown[]>(`SHOW CREATE TABLE ${qualified(schema, p.table)}`);
      await w.table(p.table, str(create![1]), p.columnList);
      for (; u < units.length && units[u]!.plan === p; u++) {
        for (let page = await readers.next(u); page; page = await readers.next(u)) {
          for (const row of page) {
            const tuple = row[0];
            if (tuple === null) {
              throw new PipelineError(
                `a row of ${schema}.${p.table} is longer than the server's max_allowed_packet once written as SQL, so it cannot be archived this way. To fix this, raise max_allowed_packet (SET GLOBAL max_allowed_packet = 1073741824) or archive the schema by hand with mariadb-dump --hex-blob.`,
              );
            }
            if (!w.rowEncoded(tuple!, 0, tuple!.length)) await w.drain();
          }
          o.onRows?.(page.length);
        }
      }
      tables.push({ name: p.table, rows: (await w.endTable()).rows });
    }
  } finally {
    await readers.close();
  }
  const views = orderViews(
    await Promise.all(objects.filter((x) => x.type === 'VIEW').map(async (v) => ({ name: v.name, ddl: await viewDdl(s, schema, v.name) }))),
  );
  for (const v of views) await w.view(v.name, v.ddl);
  await w.end(o.now ?? new Date());
  return { schema, tables, views: views.map((v) => v.name) };
}

async function planTables(s: DbSession, schema: string, tables: string[]): Promise<TablePlan[]> {
  const cols = await s.query<unknown[]>(
    'SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION',
    [schema],
  );
  const keys = await s.query<unknown[]>(
    `SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX`,
    [schema],
  );
  return tables.map((t) =>
    planTable(
      t,
      cols.filter((c) => str(c[0]) === t).map((c) => ({ name: str(c[1]), dataType: str(c[2]), extra: str(c[3] ?? '') })),
      keys.filter((k) => str(k[0]) === t).map((k) => str(k[1])),
    ),
  );
}

/** The parts a table is read in: one, or key ranges for a large table with an integer key. */
async function ranges(s: DbSession, schema: string, p: TablePlan, partRows: number): Promise<KeyRange[]> {
  if (!p.splittable) return [{}];
  const [est] = await s.query<unknown[]>('SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [
    schema,
    p.table,
  ]);
  const rows = Number(str(est?.[0] ?? 0));
  if (!(rows > partRows)) return [{}];
  const k = quoteIdent(p.key[0]!.name);
  const [bounds] = await s.query<unknown[]>(`SELECT MIN(${k}), MAX(${k}) FROM ${qualified(schema, p.table)}`);
  if (!bounds || bounds[0] === null) return [{}];
  return splitRange(str(bounds[0]), str(bounds[1]), rows, partRows);
}

interface Unit {
  plan: TablePlan;
  range: KeyRange;
}

type Page = Array<Array<Buffer | null>>;

/**
 * Reads ahead of the writer: the part (a table, or a key range of one) being written and the next
 * `parallel - 1` ones are read at once, each on a connection of its own inside its own consistent
 * snapshot, each at most `readAhead` pages ahead. Memory stays bounded by parallel × readAhead pages.
 */
class ReadAhead {
  private readonly readers = new Map<number, TableReader>();
  private readonly pool: Db;
  private readonly schema: string;
  private readonly units: Unit[];
  private readonly o: ArchiveWriteOptions & { parallel: number };
  constructor(pool: Db, schema: string, units: Unit[], o: ArchiveWriteOptions & { parallel: number }) {
    this.pool = pool;
    this.schema = schema;
    this.units = units;
    this.o = o;
  }

  /** The next page of part `i`, or undefined when it has no more. */
  async next(i: number): Promise<Page | undefined> {
    for (let j = i; j < Math.min(this.units.length, i + this.o.parallel); j++) {
      if (!this.readers.has(j)) this.readers.set(j, new TableReader(this.pool, this.schema, this.units[j]!, this.o));
    }
    const page = await this.readers.get(i)!.next();
    if (!page) this.readers.delete(i);
    return page;
  }

  async close(): Promise<void> {
    for (const r of this.readers.values()) r.stop();
    await Promise.all([...this.readers.values()].map((r) => r.finished));
  }
}

class TableReader {
  private readonly pages: Page[] = [];
  private ended = false;
  private error: unknown;
  private stopped = false;
  private wake?: () => void;
  /** Resolves when the reader's connection is released (its error, if any, goes to `next`). */
  readonly finished: Promise<void>;

  constructor(pool: Db, schema: string, { plan: p, range }: Unit, o: ArchiveWriteOptions) {
    this.finished = pool
      .withSession(async (s) => {
        await s.exec('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await s.exec('START TRANSACTION WITH CONSISTENT SNAPSHOT');
        try {
          const pageRows = o.pageRows ?? 5000;
          const readAhead = o.readAhead ?? 4;
          let after: string[] | undefined;
          while (!this.stopped) {
            const page = await s.query<Array<Buffer | null>>(pageSql(schema, p, pageRows, after, range));
            if (page.length) this.push(page);
            if (p.key.length === 0 || page.length < pageRows) break;
            after = page[page.length - 1]!.slice(1).map((v) => str(v));
            while (this.pages.length >= readAhead && !this.stopped) await new Promise<void>((r) => (this.wake = r));
          }
        } finally {
          await s.exec('COMMIT');
        }
      })
      .then(
        () => this.end(),
        (err) => this.end(err),
      );
  }

  private push(page: Page): void {
    this.pages.push(page);
    this.signal();
  }

  private end(err?: unknown): void {
    this.ended = true;
    this.error = err;
    this.signal();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async next(): Promise<Page | undefined> {
    while (this.pages.length === 0 && !this.ended) await new Promise<void>((r) => (this.wake = r));
    if (this.pages.length) {
      const page = this.pages.shift();
      this.signal();
      return page;
    }
    if (this.error) throw this.error;
    return undefined;
  }

  stop(): void {
    this.stopped = true;
    this.signal();
  }
}

/** SHOW CREATE VIEW without its DEFINER clause: the archive must load as any user. */
async function viewDdl(s: DbSession, schema: string, view: string): Promise<string> {
  const [row] = await s.query<unknown[]>(`SHOW CREATE VIEW ${qualified(schema, view)}`);
  return str(row![1]).replace(/\sDEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`/, '');
}

/** Views that others select from come first. */
function orderViews(views: Array<{ name: string; ddl: string }>): Array<{ name: string; ddl: string }> {
  const done: Array<{ name: string; ddl: string }> = [];
  const pending = [...views];
  while (pending.length) {
    const i = pending.findIndex((v) => !pending.some((w) => w !== v && v.ddl.includes(quoteIdent(w.name))));
    done.push(...pending.splice(i < 0 ? 0 : i, 1));
  }
  return done;
}
