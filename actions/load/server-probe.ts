/**
 * Probing: what the loader learns from the server before it reads the dump. Its flavour and
 * version (which conditional comments run), its collations (to map MySQL 8's), the other schemas
 * (names a dump must not reach), the last load's content hashes and the published tables (to skip
 * unchanged ones), and how many connections to use. Leftovers of a killed run go first.
 */
import type { Db } from '../platform/db.ts';
import { quoteIdent } from '../platform/db.ts';
import { loadedHashes } from '../platform/load-hashes.ts';
import { baseTables, dropBeside, views } from '../platform/shadow-swap.ts';
import { createCollationMapper, type CollationMapper } from './collations.ts';
import { removeStaleSpills } from './spill-file.ts';
import type { ServerFlavor } from './sql-text.ts';
import type { PreviousLoad } from './unchanged-tables.ts';

export interface ServerProbe {
  flavor: ServerFlavor;
  collations: CollationMapper;
  /** Lower-case names of every schema but the target. */
  otherSchemas: Set<string>;
  previous: PreviousLoad;
  published: Set<string>;
  publishedViews: Set<string>;
  threads: number;
  /** innodb_autoinc_lock_mode: 2 lets concurrent inserts into one AUTO_INCREMENT table run in parallel. */
  autoincLockMode: number;
}

export async function serverFlavor(db: Db): Promise<ServerFlavor> {
  const [{ v }] = await db.query<{ v: string }>('SELECT VERSION() AS v');
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  const id = m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 80000;
  return { mariadb: /mariadb/i.test(v), versionId: id };
}

/**
 * MariaDB 10.6+ loads an empty InnoDB table in bulk when unique and foreign-key checks are off
 * (MDEV-24621): no undo log per row, and secondary indexes built by sorting at the end of the
 * statement. https://mariadb.com/kb/en/innodb-bulk-insert/ (the loader's sessions set both checks off).
 */
export function bulkBuildsKeys(flavor: ServerFlavor): boolean {
  return flavor.mariadb && flavor.versionId >= 100600;
}

/** Rows of one table in one LOAD DATA at most: the whole table, or chunks that connections share. */
export const WHOLE_TABLE_BYTES = 1024 << 20;
export const SHARED_CHUNK_BYTES = 64 << 20;

/**
 * How big one LOAD DATA of a table may be. Where the load uses the server's bulk path for an empty
 * table (`bulk`: MariaDB 10.6+ by default, see bulkBuildsKeys), one statement for the whole table: a
 * second statement into it is no longer into an empty table. Elsewhere, chunks of `sharedChunk`
 * bytes that idle connections load side by side, but only where the server runs them in parallel:
 * concurrent inserts into a table with an AUTO_INCREMENT column take turns on its AUTO-INC lock
 * unless innodb_autoinc_lock_mode is 2 (MySQL 8's and Aurora MySQL 3's default; MariaDB's is 1).
 * https://dev.mysql.com/doc/refman/8.0/en/innodb-auto-increment-handling.html
 * Proven on a real server (a private MariaDB in both lock modes): tests/load/autoinc-chunks.test.ts.
 */
export function loadChunkBytes(
  bulk: boolean,
  autoincLockMode: number,
  hasAutoIncrement: boolean,
  sharedChunk = SHARED_CHUNK_BYTES,
): number {
  if (bulk) return WHOLE_TABLE_BYTES;
  return autoincLockMode === 2 || !hasAutoIncrement ? sharedChunk : WHOLE_TABLE_BYTES;
}

/**
 * Removes what a killed or failed run left (shadow and old schemas, temporary files of dead
 * processes), asks the server what the load needs to know, and creates a fresh shadow schema.
 */
export async function probeServer(
  db: Db,
  o: { target: string; shadow: string; old: string; metaSchema: string; force: boolean; threads?: number },
): Promise<ServerProbe> {
  removeStaleSpills();
  await dropBeside(db, o.target, [o.shadow, o.old]);
  const flavor = await serverFlavor(db);
  const collations = createCollationMapper(await serverCollations(db));
  const schemas = await db.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
  const otherSchemas = new Set(schemas.map((r) => r.name.toLowerCase()).filter((n) => n !== o.target.toLowerCase()));
  const previous = o.force ? new Map<string, { hash: string; rows: number }>() : await loadedHashes(db, o.metaSchema, o.target);
  const published = await baseTables(db, o.target).catch(() => new Set<string>());
  const publishedViews = await views(db, o.target).catch(() => new Set<string>());
  await db.exec(`CREATE DATABASE ${quoteIdent(o.shadow)} CHARACTER SET utf8mb4`);
  const threads = o.threads ?? (await defaultThreads(db));
  const [lock] = await db.query<{ m: number }>('SELECT @@innodb_autoinc_lock_mode AS m').catch(() => [{ m: 1 }]);
  return { flavor, collations, otherSchemas, previous, published, publishedViews, threads, autoincLockMode: Number(lock?.m ?? 1) };
}

async function serverCollations(db: Db): Promise<Set<string>> {
  try {
    const rows = await db.query<{ a: string; b: string }>(
      'SELECT COLLATION_NAME AS a, FULL_COLLATION_NAME AS b FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY',
    );
    return new Set(rows.flatMap((r) => [r.a.toLowerCase(), r.b.toLowerCase()]));
  } catch {
    const rows = await db.query<{ a: string }>('SELECT COLLATION_NAME AS a FROM information_schema.COLLATIONS');
    return new Set(rows.map((r) => r.a.toLowerCase()));
  }
}

/**
 * One connection per server CPU: each table loads on one connection (see worker-pool.ts), so
 * more connections than CPUs only make the biggest table wait for CPU time (measured with
 * `npm run bench:load`: 2 connections beat 3 and 4 on a 2-CPU server). MariaDB's
 * thread_pool_size defaults to the server's CPU count; elsewhere innodb_write_io_threads stands
 * in. Between 2 and 8.
 */
async function defaultThreads(db: Db): Promise<number> {
  for (const v of ['@@thread_pool_size', '@@innodb_write_io_threads']) {
    try {
      const [{ n }] = await db.query<{ n: number }>(`SELECT ${v} AS n`);
      if (Number(n) > 0) return Math.max(2, Math.min(8, Number(n)));
    } catch {
      // not a variable of this server
    }
  }
  return 4;
}
