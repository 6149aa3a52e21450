/** Shared pieces of the loader tests: run a load in-process, compare schemas on the server. */
import { execFileSync, spawnSync } from 'node:child_process';
import { quoteIdent, qualified, type Db } from '../../actions/shared/db.ts';
import { createMemoryLogger } from '../../actions/shared/log.ts';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { loadDump, type LoadOptions, type LoadOutcome } from '../../actions/load/load-dump.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';

export async function loadFile(db: Db, file: string, schema: string, o: Partial<LoadOptions> & { metaSchema: string }): Promise<LoadOutcome> {
  const source = await resolveDumpSource(file);
  return loadDump(db, { source, schema, threads: 3, ...o }, createMemoryLogger());
}

export async function tablesOf(db: Db, schema: string, type = 'BASE TABLE'): Promise<string[]> {
  const rows = await db.query<{ n: string }>('SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ? ORDER BY 1', [schema, type]);
  return rows.map((r) => r.n);
}

/** CHECKSUM TABLE and row count of every base table. */
export async function checksums(db: Db, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tablesOf(db, schema)) {
    const [c] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(schema, t)}`);
    const [n] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(schema, t)}`);
    out[t] = `${n!.n} rows, checksum ${c!.Checksum}`;
  }
  return out;
}

export async function objectsOf(db: Db, schema: string): Promise<string[]> {
  const r = await db.query<{ n: string }>(
    `SELECT CONCAT('routine ', ROUTINE_NAME) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
     UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
     UNION ALL SELECT CONCAT('view ', TABLE_NAME) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1`,
    [schema, schema, schema],
  );
  return r.map((x) => x.n);
}

const url = new URL(TEST_DATABASE_URL);
export const CLIENT_ARGS = ['-h', url.hostname || '127.0.0.1', '-P', url.port || '3306', '-u', decodeURIComponent(url.username || 'root'), ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : [])];

export function mariadbDump(args: string[], file: string): void {
  execFileSync('sh', ['-c', `mariadb-dump ${[...CLIENT_ARGS, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} > '${file}'`]);
}

/** The plain client: `mariadb db < file`. */
export function plainClient(schema: string, input: Buffer): { ok: boolean; stderr: string } {
  const r = spawnSync('mariadb', [...CLIENT_ARGS, '--binary-mode', schema], { input });
  return { ok: r.status === 0, stderr: String(r.stderr) };
}

export async function createSchema(db: Db, schema: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)} CHARACTER SET utf8mb4`);
}
