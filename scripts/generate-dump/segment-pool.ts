/**
 * Worker threads that build table segments in parallel (segment-worker.ts). Segments come back
 * in order, with at most `window` in flight, so memory stays bounded (a few MB per segment).
 */
import { Worker } from 'node:worker_threads';
import { SEGMENT_ROWS } from './table-source.ts';
import type { SegmentReply, SegmentRequest, SegmentWorkerData } from './segment-worker.ts';

export interface Segment {
  bytes: Uint8Array;
  lengths: Uint32Array;
}

export class SegmentPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (s: Segment) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(count: number, data: SegmentWorkerData) {
    this.workers = Array.from({ length: count }, () => {
      const w = new Worker(new URL('./segment-worker-entry.mjs', import.meta.url), { workerData: data });
      w.on('message', (m: SegmentReply) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(new Error(`segment worker failed: ${m.error}`));
        else p?.resolve({ bytes: m.bytes!, lengths: m.lengths! });
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`segment worker exited with code ${code}`)));
      return w;
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private request(worker: number, table: string, first: number, last: number): Promise<Segment> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const p = new Promise<Segment>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.workers[worker]!.postMessage({ id, table, first, last } satisfies SegmentRequest);
    return p;
  }

  /** The table's segments, in order. */
  async *segments(table: string, rows: number): AsyncGenerator<Segment> {
    const window = this.workers.length * 3;
    const inFlight: Promise<Segment>[] = [];
    let next = 1;
    let k = 0;
    const fill = () => {
      while (inFlight.length < window && next <= rows) {
        const last = Math.min(rows, next + SEGMENT_ROWS - 1);
        const p = this.request(k++ % this.workers.length, table, next, last);
        p.catch(() => {});
        inFlight.push(p);
        next = last + 1;
      }
    };
    fill();
    while (inFlight.length) {
      const segment = await inFlight.shift()!;
      fill();
      yield segment;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
