/**
 * Parse-only throughput of one dump, without a database: `npm run bench:parse -- FILE [RUNS]`.
 * Prints wall-clock and per-CPU-second MB/s of each run (the machine may be shared: CPU seconds
 * say what the parser costs whatever the contention) and the best of the runs (the first one
 * includes the JIT's warm-up).
 */
import { parseDump } from '../actions/load/parse-dump.ts';
import { resolveDumpSource } from '../actions/load/dump-source.ts';
import { silentLogger } from '../actions/platform/log.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: npm run bench:parse -- FILE [RUNS]');
const runs = Number(process.argv[3] ?? 3);
let bestWall = 0;
let bestCpu = 0;
for (let k = 0; k < runs; k++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await parseDump(await resolveDumpSource(file), {}, silentLogger);
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const wall = (performance.now() - t0) / 1000;
  const mb = r.bytes / 1e6;
  bestWall = Math.max(bestWall, mb / wall);
  bestCpu = Math.max(bestCpu, mb / cpu);
  console.log(
    `${mb.toFixed(1)} MB: ${(mb / wall).toFixed(0)} MB/s wall clock, ${(mb / cpu).toFixed(0)} MB/s per CPU second; ${r.tables.reduce((a, x) => a + x.rows, 0)} rows, ${r.statements} statements, ${r.refused.length} refused`,
  );
}
console.log(`best of ${runs}: ${bestWall.toFixed(0)} MB/s wall clock, ${bestCpu.toFixed(0)} MB/s per CPU second (goal >= 500 MB/s)`);
