/**
 * `npm run bench:generate [-- --scale F] [--gz] [--workers N]`: writes the synthetic vendor dump (default
 * --scale 1, about 945 MB) to a temporary file and prints seconds, MB/s and CPU seconds, next to
 * a reference measured in the same run: writing the same number of bytes of one prepared buffer
 * to a file (the disk's ceiling on this machine). Goal: --scale 1 in under 30 s on 2 cores.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateDump } from './generate-dump/generate-dump.ts';
import { createLogger } from '../actions/platform/log.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, gz: { type: 'boolean', default: false }, workers: { type: 'string' } },
});
const scale = Number(values.scale);
const dir = await mkdtemp(join(tmpdir(), 'bench-generate-'));
const mb = (bytes: number) => bytes / 1e6;

async function reference(bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1 << 20, "INSERT INTO `x` VALUES (1,'abc'),");
  const out = createWriteStream(join(dir, 'reference.bin'));
  const start = performance.now();
  for (let done = 0; done < bytes; done += chunk.length) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'close');
  return (performance.now() - start) / 1000;
}

try {
  const log = createLogger({ write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY }, { progressIntervalSeconds: 10 });
  const cpu0 = process.cpuUsage();
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  const r = await generateDump(
    { out: join(dir, `gghouse_20260205.sql${values.gz ? '.gz' : ''}`), scale, date: '20260205', seed: 1, workers },
    log,
  );
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const refSeconds = await reference(r.bytes);
  const rows = r.tables.reduce((n, t) => n + t.rows, 0);
  const movings = r.tables.find((t) => t.table === 'movings')?.rows ?? 0;
  console.log(
    `generate-dump --scale ${scale}${values.gz ? ' (.gz)' : ''}: ${mb(r.bytes).toFixed(0)} MB of SQL (${mb(r.fileBytes).toFixed(0)} MB on disk), ${rows.toLocaleString('en-US')} rows, ${movings.toLocaleString('en-US')} movings`,
  );
  console.log(
    `  wall ${r.seconds.toFixed(1)} s = ${(mb(r.bytes) / r.seconds).toFixed(1)} MB/s; CPU ${cpuSeconds.toFixed(1)} s = ${(mb(r.bytes) / cpuSeconds).toFixed(1)} MB per CPU-second (worker threads: ${workers ?? 'default'})`,
  );
  console.log(
    `  reference (same bytes of one buffer to a file): ${refSeconds.toFixed(1)} s = ${(mb(r.bytes) / refSeconds).toFixed(1)} MB/s; generator/reference time ratio ${(r.seconds / refSeconds).toFixed(2)}`,
  );
  console.log(
    `  goal: 945 MB in under 30 s -> ${r.seconds < 30 ? 'met' : 'not met'} on this run (machine load average now: ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
