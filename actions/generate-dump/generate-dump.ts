/**
 * The engine of `pipeline generate-dump`: plans the world, then streams all 81 tables through
 * the dump writer into a temporary file beside the output (gzip when the name ends in .gz) and
 * renames it into place at the end, so a failure never leaves a partial dump behind.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlib } from 'node:zlib';
import { PassThrough } from 'node:stream';
import { DumpWriter, type DumpFlavor, type DumpTableStats } from '../shared/dump-writer.ts';
import { UsageError } from '../shared/errors.ts';
import type { Logger } from '../shared/log.ts';
import { renderCreateTable } from './ddl.ts';
import { catalog } from './catalog.ts';
import { World } from './world.ts';
import { hash32 } from './prng.ts';

export interface GenerateDumpOptions {
  /** Output file; a name ending in .gz is gzip-compressed. */
  out: string;
  /** Size relative to the vendor's dump (1 ≈ 945 MB, 59,000 contracts). Must be > 0. */
  scale: number;
  /** The dump date, YYYYMMDD: nothing after it has happened. */
  date: string;
  /** Random seed. */
  seed: number;
  /** Default 'mysql8' (the vendor's Aurora MySQL); 'mariadb' writes what mariadb-dump writes. */
  flavor?: DumpFlavor;
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
  if (!Number.isInteger(o.seed)) throw new UsageError(`seed ${o.seed} is not valid: expected a whole number`);
}

/** The trailer's time: the evening of the dump date, derived from the seed (never the clock). */
function completedOn(o: GenerateDumpOptions): string {
  const s = 23 * 3600 + (hash32(o.seed, 9) % 3000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${o.date.slice(0, 4)}-${o.date.slice(4, 6)}-${o.date.slice(6, 8)} ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

async function openTemp(out: string): Promise<{ temp: string; stream: WriteStream }> {
  const temp = resolve(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  try {
    const handle = await open(temp, 'wx');
    return { temp, stream: createWriteStream(temp, { fd: handle.fd, highWaterMark: 1 << 20 }) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot write ${out} (${code ?? (err as Error).message}). To fix this, choose --out in a directory that exists and that you may write to.`,
    );
  }
}

export async function generateDump(o: GenerateDumpOptions, log: Logger): Promise<GenerateDumpResult> {
  validateGenerateDumpOptions(o);
  const started = performance.now();
  const out = resolve(o.out);
  if (await stat(out).then((s) => s.isDirectory(), () => false)) {
    throw new UsageError(`cannot write ${out}: it is a directory. To fix this, give --out a file name, e.g. ${out}/gghouse_${o.date}.sql`);
  }
  const { temp, stream } = await openTemp(out);
  try {
    const flavor = o.flavor ?? 'mysql8';
    const world = await log.stage('plan the contract history', async () => new World(o.seed, o.scale, o.date).plan());
    const tables = catalog(world);
    log.info(`${tables.length} tables, ${world.contractsTotal.toLocaleString('en-US')} contracts, ${world.tenants.toLocaleString('en-US')} tenants, ${world.rooms.toLocaleString('en-US')} rooms`);
    const gzip = out.endsWith('.gz');
    const sink = gzip ? createGzip({ level: zlib.Z_BEST_SPEED, chunkSize: 1 << 16 }) : new PassThrough({ highWaterMark: 1 << 20 });
    const piped = pipeline(sink, stream);
    piped.catch(() => {});
    const writer = new DumpWriter(sink, { flavor });
    const totalRows = tables.reduce((n, t) => n + t.rows, 0);
    const progress = log.progress({ label: `writing ${basename(out)}`, total: totalRows, unit: 'rows' });
    const stats = await log.stage(`write ${tables.length} tables`, async () => {
      await writer.begin(DUMP_DATABASE, SERVER_VERSION[flavor]);
      let done = 0;
      for (const t of tables) {
        await writer.table(t.def.name, renderCreateTable(t.def, flavor, t.autoIncrement ?? t.rows + 1));
        let n = 0;
        const base = done;
        await t.emit({
          rowText: (tuple) => {
            if ((++n & 16383) === 0) progress.set(base + n);
            return writer.rowText(tuple);
          },
          drain: () => writer.drain(),
        });
        const s = await writer.endTable();
        if (s.rows !== t.rows) throw new Error(`table ${t.def.name}: planned ${t.rows} rows, wrote ${s.rows}`);
        progress.set((done += s.rows));
      }
      progress.finish();
      return writer.end(completedOn(o));
    });
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
