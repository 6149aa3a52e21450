/**
 * The engine of `pipeline generate-dump`: plans the world, then streams all 81 tables through
 * the dump writer into a temporary file beside the output (gzip when the name ends in .gz) and
 * renames it into place at the end, so a failure never leaves a partial dump behind.
 */
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlib } from 'node:zlib';
import { PassThrough } from 'node:stream';
import { DumpWriter, type DumpFlavor, type DumpStats, type DumpTableStats } from '../../actions/platform/dump-writer.ts';
import { availableParallelism } from 'node:os';
import { SegmentPool } from './segment-pool.ts';
import { SEGMENT_ROWS, type RowSink, type TableSource } from './table-source.ts';
import { PipelineError, UsageError } from '../../actions/platform/errors.ts';
import type { Logger } from '../../actions/platform/log.ts';
import { renderCreateTable } from './ddl.ts';
import { catalog } from './catalog.ts';
import { World } from './world.ts';
import { hash32 } from './prng.ts';
import { dayOfCompact, isoDay } from './calendar.ts';
import { HISTORY_START } from './time-base.ts';

export interface GenerateDumpOptions {
  /** Output file; a name ending in .gz is gzip-compressed. */
  out: string;
  /** Size relative to the vendor's dump (1 ≈ 945 MB, 60,000 movings rows). Must be > 0. */
  scale: number;
  /**
   * The dump date, YYYYMMDD (on or after 2018-02-05): the world, whose clock is fixed whatever
   * the date, cut at that day. Nothing after it has happened; the next day's dump is this one
   * plus that day's events.
   */
  date: string;
  /** Random seed. */
  seed: number;
  /** Default 'mysql8' (the vendor's Aurora MySQL); 'mariadb' writes what mariadb-dump writes. */
  flavor?: DumpFlavor;
  /**
   * Worker threads that build the big tables' segments in parallel (the bytes do not depend on
   * it). Default: the machine's available parallelism for dumps of 300,000 rows or more, else 0.
   */
  workers?: number;
  /** Aborting stops the run between rows; the partial file is removed. */
  signal?: AbortSignal;
}

export interface GenerateDumpResult {
  file: string;
  /** Bytes of SQL text (before compression). */
  bytes: number;
  /** Bytes of the file on disk. */
  fileBytes: number;
  tables: DumpTableStats[];
  seconds: number;
}

/** The database name and server version the header names. */
export const DUMP_DATABASE = 'gghouse';
const SERVER_VERSION: Record<DumpFlavor, string> = { mysql8: '8.0.36', mariadb: '10.11.19-MariaDB-0+deb12u1' };

export function validateGenerateDumpOptions(o: GenerateDumpOptions): void {
  if (!Number.isFinite(o.scale) || o.scale <= 0) throw new UsageError(`scale ${o.scale} is not valid: expected a number greater than 0`);
  if (!/^\d{8}$/.test(o.date)) throw new UsageError(`date '${o.date}' is not a date: expected YYYYMMDD`);
  if (dayOfCompact(o.date) < HISTORY_START) {
    throw new UsageError(
      `date '${o.date}' is before the generated history, which starts on ${isoDay(HISTORY_START)}. To fix this, give a later --date.`,
    );
  }
  if (!Number.isInteger(o.seed)) throw new UsageError(`seed ${o.seed} is not valid: expected a whole number`);
}

/** The trailer's time: the evening of the dump date, derived from the seed (never the clock). */
function completedOn(o: GenerateDumpOptions): string {
  const s = 23 * 3600 + (hash32(o.seed, 9) % 3000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${o.date.slice(0, 4)}-${o.date.slice(4, 6)}-${o.date.slice(6, 8)} ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for a path under /proc
 * (it retries the ENOENT forever), so each missing ancestor is created by a plain mkdir, whose
 * error is the real one.
 */
function makeDirectory(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirectory(parent);
  mkdirSync(dir);
}

async function openTemp(out: string): Promise<{ temp: string; stream: WriteStream }> {
  const temp = resolve(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  try {
    // A fresh checkout has no target/: the output's directory is created, as every command that writes a file does.
    makeDirectory(dirname(out));
    const stream = createWriteStream(temp, { flags: 'wx', highWaterMark: 1 << 20 });
    await once(stream, 'open');
    return { temp, stream };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot write ${out} (${code ?? (err as Error).message}). To fix this, choose --out in a directory you may write to.`,
    );
  }
}

/** Rows built on worker threads, copied into the dump in order. */
async function copySegments(
  pool: SegmentPool,
  t: TableSource,
  writer: DumpWriter,
  progress: (rows: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  let rows = 0;
  for await (const seg of pool.segments(t.def.name, t.rows)) {
    const bytes = Buffer.from(seg.bytes.buffer, seg.bytes.byteOffset, seg.bytes.byteLength);
    let at = 0;
    for (let i = 0; i < seg.lengths.length; i++) {
      const end = at + seg.lengths[i]!;
      if (!writer.rowEncoded(bytes, at, end)) await writer.drain();
      at = end;
    }
    progress((rows += seg.lengths.length));
    stopIfAborted(signal);
  }
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PipelineError('generate-dump was interrupted; no file was written (the partial file is removed).');
}

/** The writer as a RowSink that reports progress every 16,384 rows. */
function countingSink(writer: DumpWriter, progress: (rows: number) => void, signal?: AbortSignal): RowSink {
  let n = 0;
  return {
    rowText(tuple) {
      if ((++n & 16383) === 0) {
        progress(n);
        stopIfAborted(signal);
      }
      return writer.rowText(tuple);
    },
    drain: () => writer.drain(),
  };
}

export async function generateDump(o: GenerateDumpOptions, log: Logger): Promise<GenerateDumpResult> {
  validateGenerateDumpOptions(o);
  const started = performance.now();
  const out = resolve(o.out);
  if (
    await stat(out).then(
      (s) => s.isDirectory(),
      () => false,
    )
  ) {
    throw new UsageError(`cannot write ${out}: it is a directory. To fix this, give --out a file name, e.g. ${out}/gghouse_${o.date}.sql`);
  }
  const { temp, stream } = await openTemp(out);
  try {
    const flavor = o.flavor ?? 'mysql8';
    const world = await log.stage('plan the contract history', async () => new World(o.seed, o.scale, o.date).plan());
    const tables = catalog(world);
    const totalRows = tables.reduce((n, t) => n + t.rows, 0);
    log.info(
      `${tables.length} tables, ${world.contractsTotal.toLocaleString('en-US')} contracts, ${world.tenants.toLocaleString('en-US')} tenants, ${world.rooms.toLocaleString('en-US')} rooms`,
    );
    const gzip = out.endsWith('.gz');
    const sink = gzip ? createGzip({ level: zlib.Z_BEST_SPEED, chunkSize: 1 << 16 }) : new PassThrough({ highWaterMark: 1 << 20 });
    const piped = pipeline(sink, stream);
    piped.catch(() => {});
    const writer = new DumpWriter(sink, { flavor });
    const progress = log.progress({ label: `writing ${basename(out)}`, total: totalRows, unit: 'rows' });
    const workers = o.workers ?? (totalRows >= 300_000 ? availableParallelism() : 0);
    const pool = workers > 0 ? new SegmentPool(workers, { seed: o.seed, scale: o.scale, date: o.date, plan: world.planned() }) : undefined;
    let stats: DumpStats;
    try {
      stats = await log.stage(`write ${tables.length} tables${pool ? ` (${workers} worker threads)` : ''}`, async () => {
        await writer.begin(DUMP_DATABASE, SERVER_VERSION[flavor]);
        let done = 0;
        for (const t of tables) {
          stopIfAborted(o.signal);
          await writer.table(t.def.name, renderCreateTable(t.def, flavor, t.autoIncrement ?? t.rows + 1));
          if (pool && t.segment && t.rows > SEGMENT_ROWS) await copySegments(pool, t, writer, (n) => progress.set(done + n), o.signal);
          else await t.emit(countingSink(writer, (n) => progress.set(done + n), o.signal));
          const s = await writer.endTable();
          if (s.rows !== t.rows) throw new Error(`table ${t.def.name}: planned ${t.rows} rows, wrote ${s.rows}`);
          progress.set((done += s.rows));
        }
        progress.finish();
        return writer.end(completedOn(o));
      });
    } finally {
      await pool?.close();
    }
    await piped;
    await rename(temp, out);
    const fileBytes = (await stat(out)).size;
    return { file: out, bytes: stats.bytes, fileBytes, tables: stats.tables, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    stream.destroy();
    await rm(temp, { force: true });
    throw err;
  }
}
