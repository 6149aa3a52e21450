/**
 * A private, throwaway MySQL-compatible server for `npm run demo` on a machine where none answers
 * at DATABASE_URL: built from the MariaDB or MySQL binaries installed on the machine (no download),
 * in a temporary data directory, on a free port, and removed when the demo ends.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export interface LocalServer {
  url: string;
  stop(): Promise<void>;
}

const SEARCH_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin', '/usr/local/mysql/bin', '/opt/homebrew/bin'];

export function findBinary(names: string[]): string | undefined {
  for (const name of names) {
    for (const dir of SEARCH_DIRS) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    const which = spawnSync('which', [name], { encoding: 'utf8' });
    if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** True when a server answers at the URL (a quick connect, no pool). */
export async function serverAnswers(url: string): Promise<boolean> {
  try {
    const u = new URL(url);
    const conn = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: u.password ? decodeURIComponent(u.password) : undefined,
      connectTimeout: 3000,
    });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

export async function startLocalServer(log: (line: string) => void): Promise<LocalServer> {
  const mariadbd = findBinary(['mariadbd']);
  const mysqld = mariadbd ?? findBinary(['mysqld']);
  if (!mysqld) {
    throw new Error(
      'no MySQL-compatible server answers at DATABASE_URL and no mariadbd or mysqld binary is installed. To fix this, install MariaDB (apt-get install mariadb-server) or set DATABASE_URL to a server.',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tokyobeta-db-'));
  const port = await freePort();
  log(`starting a private database server (${mysqld}) on 127.0.0.1:${port}, data in ${dataDir}`);
  const asRoot = process.getuid?.() === 0;
  if (mariadbd) {
    const installDb = findBinary(['mariadb-install-db', 'mysql_install_db']);
    if (!installDb) throw new Error('mariadb-install-db is missing: cannot initialise a private server');
    const init = spawnSync(
      installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...(asRoot ? ['--user=root'] : []),
      ],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  } else {
    const init = spawnSync(mysqld, ['--no-defaults', '--initialize-insecure', `--datadir=${dataDir}`, ...(asRoot ? ['--user=root'] : [])], {
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new Error(`mysqld --initialize-insecure failed: ${init.stderr}`);
  }
  const child: ChildProcess = spawn(
    mysqld,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dataDir, 'mysqld.sock')}`,
      `--pid-file=${join(dataDir, 'mysqld.pid')}`,
      `--log-error=${join(dataDir, 'error.log')}`,
      '--max-allowed-packet=256M',
      '--local-infile=1',
      ...(asRoot ? ['--user=root'] : []),
    ],
    { stdio: 'ignore' },
  );
  const url = `mysql://root@127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await serverAnswers(url))) {
    if (child.exitCode !== null) throw new Error(`the private server exited at start; see ${join(dataDir, 'error.log')}`);
    if (Date.now() > deadline) throw new Error('the private server did not answer within 60 s');
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r();
          }, 20_000);
          child.once('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
