/**
 * Test access to the real server. Each test file takes its own schema prefix from `testPrefix`,
 * so files run in parallel without meeting, and drops every schema with that prefix at the end.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, quoteIdent, type Db } from '../../actions/platform/db.ts';

export const TEST_DATABASE_URL = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

/** A unique schema prefix for one test file, e.g. `t_lock_3fa9c1_`. */
export function testPrefix(tag: string): string {
  const clean = tag
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 10);
  return `t_${clean}_${randomBytes(3).toString('hex')}_`;
}

export async function openTestDb(connections = 4): Promise<Db> {
  return openDb(parseDatabaseUrl(TEST_DATABASE_URL), { connections });
}

export async function schemasWithPrefix(db: Db, prefix: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY 1',
    [`${prefix.replace(/_/g, '\\_')}%`],
  );
  return rows.map((r) => r.name);
}

export async function dropSchemasWithPrefix(db: Db, prefix: string): Promise<void> {
  if (!prefix.startsWith('t_')) throw new Error(`refusing to drop schemas of prefix '${prefix}': not a test prefix`);
  for (const name of await schemasWithPrefix(db, prefix)) {
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
  }
}
