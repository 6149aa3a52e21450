/**
 * Faults that act on the whole database server, run against a private server so that nobody else
 * using the shared one is hit: the server crashing and restarting in the middle of a load, a
 * max_allowed_packet too small for the dump's statements, and the disk filling up (the private
 * server's data directory on a small tmpfs, filled with a ballast file before the run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, parseDatabaseUrl, type Db } from '../../actions/platform/db.ts';
import { faultCycle, topStages } from './faults.ts';
import { createFixture, type Fixture, type FixtureOptions } from './fixture.ts';
import { newOutcome, type Outcome } from './outcome.ts';
import { startPipeline, stageAt } from './pipeline-process.ts';
import { startPrivateServer, type PrivateServer } from './private-server.ts';

export interface PrivateFixture {
  server: PrivateServer;
  fixture: Fixture;
  /** The tmpfs mount holding the data directory, when one could be made (for disk-full). */
  mount?: string;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the admin pool answers again (its connections died with the server). */
async function reconnect(admin: Db): Promise<void> {
  for (let i = 0; i < 40; i++) {
    try {
      await admin.query('SELECT 1');
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error('the private server did not answer after its restart');
}

function tryMountTmpfs(dir: string, sizeMb: number): boolean {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0;
}

export async function createPrivateFixture(
  o: Omit<FixtureOptions, 'admin'> & { tmpfsMb?: number; workDir: string },
): Promise<PrivateFixture> {
  let mount: string | undefined;
  if (o.tmpfsMb) {
    const dir = join(o.workDir, 'tmpfs');
    if (tryMountTmpfs(dir, o.tmpfsMb)) mount = dir;
  }
  const server = await startPrivateServer([], mount);
  let admin: Db | undefined;
  try {
    admin = await openDb(parseDatabaseUrl(server.url), { connections: 4 });
    const fixture = await createFixture({ ...o, admin });
    return {
      server,
      fixture,
      mount,
      async dispose() {
        await fixture.dispose().catch(() => {});
        await admin!.close().catch(() => {});
        await server.destroy();
        if (mount) spawnSync('umount', ['-l', mount]);
      },
    };
  } catch (err) {
    await admin?.close().catch(() => {});
    await server.destroy();
    if (mount) spawnSync('umount', ['-l', mount]);
    throw err;
  }
}

/** The server is killed (-9) a fraction into the load, and started again while the run is on. */
export function restartCycle(p: PrivateFixture, fraction = 0.4): Promise<Outcome> {
  const f = p.fixture;
  const load = topStages(f)[0] ?? { name: 'load', start: 0, ms: 1000 };
  return faultCycle(
    f,
    'server restart',
    `server killed and restarted ${Math.round(fraction * 100)}% into ${load.name.split(' ')[0]}`,
    async (args, env) => {
      const run = startPipeline(args, { env });
      const line = await run.waitForLine(new RegExp(`^▶ ${load.name.split(' ')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
      await sleep(Math.round(load.ms * fraction));
      const atMs = Date.now() - run.startedAt;
      const stillRunning = run.child.exitCode === null;
      if (line && stillRunning) {
        await p.server.crash();
        await p.server.start();
      }
      const exit = await run.done;
      await reconnect(f.admin);
      return {
        injected: Boolean(line && stillRunning),
        atMs,
        stage: stageAt(exit.lines, atMs),
        exit,
        detail: stillRunning ? undefined : 'the run ended before the crash',
      };
    },
  );
}

/** Every new connection gets a 1 KB max_allowed_packet: the dump's INSERTs cannot be sent. */
export async function packetCycle(p: PrivateFixture): Promise<Outcome> {
  const f = p.fixture;
  const [row] = await f.admin.query<{ v: string }>('SELECT @@GLOBAL.max_allowed_packet AS v');
  const original = Number(row?.v);
  try {
    return await faultCycle(f, 'disk full', 'max_allowed_packet of 1 KB (statements too large)', async (args, env) => {
      await f.admin.exec('SET GLOBAL max_allowed_packet = 1024');
      try {
        const run = startPipeline(args, { env });
        const exit = await run.done;
        return { injected: true, exit, stage: exit.lines.length ? stageAt(exit.lines, exit.ms) : undefined };
      } finally {
        await f.admin.exec(`SET GLOBAL max_allowed_packet = ${original}`);
      }
    });
  } finally {
    await f.admin.exec(`SET GLOBAL max_allowed_packet = ${original}`).catch(() => {});
  }
}

function freeBytes(dir: string): number {
  const out = execFileSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

function usedBytes(dir: string): number {
  const out = execFileSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(out.split('\t')[0]);
}

/** The data directory's disk fills up during the run (a ballast file leaves less room than the run needs). */
export async function diskFullCycle(p: PrivateFixture): Promise<Outcome> {
  const f = p.fixture;
  if (!p.mount) {
    const o = newOutcome('disk full', 'disk full during the run');
    o.injected = false;
    o.checks.push('not run: no tmpfs could be mounted for the private server');
    return o;
  }
  const ballast = join(p.mount, 'ballast.bin');
  const staging = usedBytes(join(p.server.dataDir, `${f.prefix}staging`));
  return faultCycle(f, 'disk full', 'disk full during the run (data directory on a full tmpfs)', async (args, env) => {
    // Leave a third of what one copy of staging takes: the shadow cannot be completed.
    const leave = Math.max(2 << 20, Math.floor(staging / 3));
    const fill = Math.max(0, freeBytes(p.mount!) - leave);
    writeFileSync(ballast, Buffer.alloc(0));
    const chunk = Buffer.alloc(8 << 20);
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(ballast, 'w');
    for (let written = 0; written < fill; ) {
      const n = Math.min(chunk.length, fill - written);
      writeSync(fd, chunk, 0, n);
      written += n;
    }
    closeSync(fd);
    try {
      const run = startPipeline(args, { env });
      // InnoDB fails a full tablespace with an error, but Aria waits for space: free it after a while.
      const timer = setTimeout(() => rmSync(ballast, { force: true }), 120_000);
      const exit = await run.done;
      clearTimeout(timer);
      return {
        injected: true,
        exit,
        stage: exit.lines.length ? stageAt(exit.lines, exit.ms) : undefined,
        detail: `${Math.round(leave / 1024)} KB left free`,
      };
    } finally {
      rmSync(ballast, { force: true });
    }
  });
}
