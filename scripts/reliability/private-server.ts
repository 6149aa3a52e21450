/**
 * A private MariaDB server for the faults that act on a whole server: a crash and restart in the
 * middle of a load, a tiny max_allowed_packet, a tablespace that fills up. On the shared server
 * these would hit everyone using it; on a private one (the machine's own binaries, a temporary data
 * directory, a free loopback port) they hit only the run under test. Unlike scripts/local-server.ts
 * it keeps its data directory across a restart, which is the point of a crash test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, freePort, serverAnswers } from '../local-server.ts';

export interface PrivateServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** kill -9 of the server (a crash: InnoDB recovers at the next start). */
  crash(): Promise<void>;
  /**
   * Starts the server again on the same data directory and waits until it answers; with
   * `serverArgs`, with those extra options instead of the first ones (options read only at start,
   * like innodb_autoinc_lock_mode).
   */
  start(serverArgs?: string[]): Promise<void>;
  /** Shuts it down cleanly (SIGTERM), keeping its data directory. */
  stop(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
  errorLog(): string;
}

export function privateServerAvailable(): boolean {
  return findBinary(['mariadbd']) !== undefined && findBinary(['mariadb-install-db']) !== undefined;
}

const answers = (port: number): Promise<boolean> => serverAnswers(`mysql://root@127.0.0.1:${port}`);

/** Starts a private server; `serverArgs` are extra mariadbd options (e.g. a capped tablespace). */
export async function startPrivateServer(serverArgs: string[] = [], parentDir = tmpdir()): Promise<PrivateServer> {
  const mariadbd = findBinary(['mariadbd']);
  const installDb = findBinary(['mariadb-install-db']);
  if (!mariadbd || !installDb)
    throw new Error('mariadbd and mariadb-install-db are needed for a private server (apt-get install mariadb-server)');
  const dataDir = mkdtempSync(join(parentDir, 'tokyobeta-rel-db-'));
  const asRoot = process.getuid?.() === 0;
  const userArgs = asRoot ? ['--user=root'] : [];
  const base = ['--no-defaults', `--datadir=${dataDir}`];
  const init = spawnSync(installDb, [...base, '--auth-root-authentication-method=normal', '--skip-test-db', ...userArgs, ...serverArgs], {
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  let args = serverArgs;
  const server: PrivateServer = {
    url: `mysql://root@127.0.0.1:${port}`,
    port,
    dataDir,
    async start(serverArgs?: string[]) {
      if (serverArgs) args = serverArgs;
      child = spawn(
        mariadbd,
        [
          ...base,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${join(dataDir, 'mysqld.sock')}`,
          `--pid-file=${join(dataDir, 'mysqld.pid')}`,
          `--log-error=${join(dataDir, 'error.log')}`,
          '--max-allowed-packet=64M',
          '--local-infile=1',
          '--innodb-buffer-pool-size=128M',
          // Temporary files outside the data directory, which may sit on a deliberately small disk.
          `--tmpdir=${tmpdir()}`,
          ...userArgs,
          ...args,
        ],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 90_000;
      while (!(await answers(port))) {
        if (child.exitCode !== null) throw new Error(`the private server exited at start: ${server.errorLog().slice(-800)}`);
        if (Date.now() > deadline) throw new Error('the private server did not answer within 90 s');
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async crash() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
    async destroy() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    errorLog() {
      try {
        return readFileSync(join(dataDir, 'error.log'), 'utf8');
      } catch {
        return '';
      }
    },
  };
  try {
    await server.start();
  } catch (err) {
    await server.destroy().catch(() => {});
    throw err;
  }
  return server;
}
