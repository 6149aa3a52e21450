/** Runs the real `mariadb` / `mariadb-dump` command-line clients against the test server. */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { TEST_DATABASE_URL } from '../helpers/db.ts';

function clientArgs(): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(TEST_DATABASE_URL);
  const args = [`-h${u.hostname || '127.0.0.1'}`, `-P${u.port || '3306'}`, `-u${decodeURIComponent(u.username || 'root')}`];
  return { args, env: { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) } };
}

/** `mariadb <schema> < file`; rejects with the client's stderr on failure. */
export function loadWithClient(schema: string, file: string): Promise<void> {
  const { args, env } = clientArgs();
  return new Promise((resolve, reject) => {
    const child = spawn('mariadb', [...args, schema], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    createReadStream(file).pipe(child.stdin);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb exited ${code}: ${stderr}`))));
  });
}

/** `mariadb-dump <schema>` as bytes. */
export function dumpWithClient(schema: string): Promise<Buffer> {
  const { args, env } = clientArgs();
  return new Promise((resolve, reject) => {
    const child = spawn('mariadb-dump', [...args, schema], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`mariadb-dump exited ${code}: ${stderr}`))));
  });
}
