/**
 * Where queued statements wait when the memory budget is spent. The loader reads the dump much
 * faster than the server ingests it; with the statements of a big table waiting here, the parser
 * reaches the next tables and the other connections load them meanwhile.
 *
 * Bytes that are a plain local dump file's own bytes are not copied: they are read back from the
 * dump at their offset. Anything else goes to one temporary file, appended to and read back by
 * position, and emptied whenever nothing waits in it.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'pipeline-spill-';

/**
 * Removes the temporary directories of loaders that were killed (SIGKILL leaves them): each is
 * named after its process, and one whose process is gone is removed. Returns how many.
 */
export function removeStaleSpills(dir = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM'; // alive, someone else's
  }
}

export interface Spilled {
  at: number;
  length: number;
  /** In the dump file itself (not in the temporary file). */
  inDump?: boolean;
}

export class SpillFile {
  private dir: string | undefined;
  private fd: number | undefined;
  private readonly dumpFd: number | undefined;
  private end = 0;
  private waiting = 0;
  /** Bytes written to the temporary file over its life (for the report). */
  written = 0;

  /** `dumpFile`: the path of a plain (not compressed) local dump, whose bytes are read back in place. */
  constructor(dumpFile?: string) {
    this.dumpFd = dumpFile === undefined ? undefined : openSync(dumpFile, 'r');
  }

  /** Bytes in the temporary file now. */
  get held(): number {
    return this.end;
  }

  /** Keeps `data` for later; `dumpOffset`: where these exact bytes are in the dump, if known. */
  keep(data: Buffer, dumpOffset?: number): Spilled {
    if (dumpOffset !== undefined && this.dumpFd !== undefined) return { at: dumpOffset, length: data.length, inDump: true };
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
      this.fd = openSync(join(this.dir, 'queue.bin'), 'w+');
    }
    const at = this.end;
    for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done, at + done);
    this.end += data.length;
    this.written += data.length;
    this.waiting++;
    return { at, length: data.length };
  }

  /**
   * The bytes of `s`, in `scratch` when it is big enough. Read once and released, unless `release`
   * is false (a LOAD DATA that may run again reads its parts again; release them after).
   */
  read(s: Spilled, scratch?: Buffer, release = true): Buffer {
    const out = scratch && scratch.length >= s.length ? scratch.subarray(0, s.length) : Buffer.allocUnsafe(s.length);
    const fd = s.inDump ? this.dumpFd! : this.fd!;
    for (let done = 0; done < s.length; ) {
      const n = readSync(fd, out, done, s.length - done, s.at + done);
      if (n === 0) throw new Error(`the ${s.inDump ? 'dump' : 'spill'} file ended early at byte ${s.at + done}`);
      done += n;
    }
    if (release) this.release(s);
    return out;
  }

  /** Forgets `s` without reading it. */
  release(s: Spilled): void {
    if (!s.inDump && --this.waiting === 0) {
      ftruncateSync(this.fd!, 0);
      this.end = 0;
    }
  }

  dispose(): void {
    for (const fd of [this.fd, this.dumpFd]) if (fd !== undefined) closeSync(fd);
    this.fd = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
