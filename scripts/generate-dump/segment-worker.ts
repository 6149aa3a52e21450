/**
 * A worker thread that builds segments of the segmented tables (see TableSource.segment) and
 * hands them back as UTF-8 bytes with each row's length, so the main thread only copies them
 * into the dump. It rebuilds the same catalog from the same inputs, so its rows are the rows the
 * main thread would have built.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { catalog } from './catalog.ts';
import { World, type WorldPlan } from './world.ts';
import type { RowSink, TableSource } from './table-source.ts';

export interface SegmentWorkerData {
  seed: number;
  scale: number;
  date: string;
  /** Planned on the main thread (World.plan), needed by table sizes, log rows and references to tenants. */
  plan: WorldPlan;
}

export interface SegmentRequest {
  id: number;
  table: string;
  first: number;
  last: number;
}

export interface SegmentReply {
  id: number;
  bytes?: Uint8Array;
  lengths?: Uint32Array;
  error?: string;
}

/** Collects rows as UTF-8 bytes in a growing, transferable (non-pooled) buffer. */
class EncodingSink implements RowSink {
  bytes = Buffer.allocUnsafeSlow(4 << 20);
  lengths: number[] = [];
  pos = 0;

  rowText(tuple: string): boolean {
    if (this.pos + tuple.length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.pos + tuple.length * 3));
      this.bytes.copy(bigger, 0, 0, this.pos);
      this.bytes = bigger;
    }
    const n = this.bytes.write(tuple, this.pos, 'utf8');
    this.pos += n;
    this.lengths.push(n);
    return true;
  }

  async drain(): Promise<void> {}
}

if (parentPort) {
  const data = workerData as SegmentWorkerData;
  const world = new World(data.seed, data.scale, data.date).adopt(data.plan);
  const tables = new Map<string, TableSource>(catalog(world).map((t) => [t.def.name, t]));
  const port = parentPort;
  port.on('message', (req: SegmentRequest) => {
    const t = tables.get(req.table);
    const sink = new EncodingSink();
    const done = t?.segment ? t.segment(req.first, req.last, sink) : Promise.reject(new Error(`table ${req.table} has no segments`));
    done.then(
      () => {
        const bytes = new Uint8Array(sink.bytes.buffer, 0, sink.pos);
        const lengths = Uint32Array.from(sink.lengths);
        port.postMessage({ id: req.id, bytes, lengths } satisfies SegmentReply, [sink.bytes.buffer, lengths.buffer]);
      },
      (err: Error) => port.postMessage({ id: req.id, error: err.stack ?? err.message } satisfies SegmentReply),
    );
  });
}
