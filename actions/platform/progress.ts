/**
 * Progress of long work (bytes loaded, rows written): done, rate and ETA. On a TTY one line is
 * redrawn in place; otherwise a plain line is printed every interval, so CI logs stay readable.
 */
/** Where text goes: a stream, or anything with `write`. */
export interface Sink {
  write(text: string): void;
  /** True when the sink is an interactive terminal (progress redraws one line). */
  isTTY?: boolean;
}

export interface ProgressOptions {
  label: string;
  /** Total units when known (bytes of a file, rows of a table); enables percent and ETA. */
  total?: number;
  unit: 'bytes' | 'rows';
}

export interface Progress {
  /** Adds `n` units done. */
  add(n: number): void;
  /** Sets the units done. */
  set(done: number): void;
  /** Prints the final line. */
  finish(): void;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function formatCount(n: number, unit: ProgressOptions['unit']): string {
  return unit === 'bytes' ? formatBytes(n) : `${Math.round(n).toLocaleString('en-US')} rows`;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${Math.ceil(seconds % 60)
    .toString()
    .padStart(2, '0')}s`;
}

export function describeProgress(o: ProgressOptions, done: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const rateText = `${formatCount(rate, o.unit)}/s`;
  if (o.total && o.total > 0) {
    const pct = Math.min(100, (done / o.total) * 100);
    const eta = rate > 0 ? (o.total - done) / rate : Infinity;
    return `${o.label}: ${formatCount(done, o.unit)} of ${formatCount(o.total, o.unit)} (${pct.toFixed(0)}%), ${rateText}, ETA ${formatEta(eta)}`;
  }
  return `${o.label}: ${formatCount(done, o.unit)}, ${rateText}`;
}

export function createProgress(sink: Sink, o: ProgressOptions, timing: { intervalMs: number; now: () => number }): Progress {
  const start = timing.now();
  let done = 0;
  let lastPrint = start;
  let finished = false;
  const tty = sink.isTTY === true;
  const ttyIntervalMs = 200;

  const bar = (): string => {
    if (!o.total) return '';
    const width = 24;
    const filled = Math.round(Math.min(1, done / o.total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
  };
  const maybePrint = () => {
    const t = timing.now();
    if (tty) {
      if (t - lastPrint < ttyIntervalMs) return;
      lastPrint = t;
      sink.write(`\r\x1b[2K${bar()}${describeProgress(o, done, t - start)}`);
    } else if (t - lastPrint >= timing.intervalMs) {
      lastPrint = t;
      sink.write(`${describeProgress(o, done, t - start)}\n`);
    }
  };
  return {
    add(n) {
      done += n;
      maybePrint();
    },
    set(n) {
      done = n;
      maybePrint();
    },
    finish() {
      if (finished) return;
      finished = true;
      if (tty) sink.write('\r\x1b[2K');
    },
  };
}
