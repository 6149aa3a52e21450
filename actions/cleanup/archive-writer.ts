/**
 * Writes one schema as a mysqldump-format `.sql.gz` that the plain `mariadb`/`mysql` client loads
 * back, through the project's dump writer (actions/platform/dump-writer.ts: the envelope, DROP/CREATE
 * TABLE, LOCK TABLES, extended INSERTs cut where mysqldump cuts them, views last, the trailer).
 * Everything is read inside one consistent snapshot, in key order, a page at a time (constant
 * memory for keyed tables). While writing it digests every value (sql-literal.ts), so the file
 * can be verified by reading it back.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { DumpWriter } from '../platform/dump-writer.ts';
import { openDb, qualified, quoteIdent, type Db, type DbSession } from '../platform/db.ts';
import { encode, kindOf, ROW_END, type ValueKind } from './sql-literal.ts';

export interface TableDigest {
  name: string;
  rows: number;
  /** sha256 of the tokens of every value, row by row. */
  digest: string;
}

export interface ArchiveManifest {
  schema: string;
  tables: TableDigest[];
  views: string[];
}

export interface WrittenArchive extends ArchiveManifest {
  file: string;
  /** Size of the compressed file. */
  bytes: number;
  /** sha256 of the compressed file. */
  sha256: string;
}

export interface ArchiveWriteOptions {
  /** Rows fetched per page. Default 5000. */
  pageRows?: number;
  /** An INSERT statement is cut after about this many bytes (mysqldump's net_buffer_length). Default 1 MiB. */
  statementBytes?: number;
  /** Shown in the header. */
  source?: string;
  now?: Date;
  onRows?: (n: number) => void;
}

interface Column {
  name: string;
  kind: ValueKind;
}

const str = (v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

/**
 * A connection of its own that returns every value as the raw bytes the server sent (text
 * protocol), so numbers keep the server's exact text (DECIMAL 12.50, FLOAT 1.1) and binary stays
 * binary. Rows come as arrays, in the order of the select list.
 */
export async function openArchiveDb(db: Db): Promise<Db> {
  return openDb(db.settings, {
    connections: 1,
    // typeCast false: mysql2 hands over each value's bytes as they are, without per-value wrappers.
    driver: { rowsAsArray: true, typeCast: false },
  });
}

export async function fileSha256(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function writeSchemaArchive(db: Db, schema: string, path: string, o: ArchiveWriteOptions = {}): Promise<WrittenArchive> {
  const archiveDb = await openArchiveDb(db);
  const gzip = createGzip({ level: 6 });
  const file = createWriteStream(path, { flags: 'wx' });
  const closed = once(file, 'close');
  gzip.pipe(file);
  try {
    const manifest = await archiveDb.withSession(async (s) => {
      // One snapshot for the whole schema: tables agree with each other, as mysqldump --single-transaction.
      await s.exec('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await s.exec('START TRANSACTION WITH CONSISTENT SNAPSHOT');
      try {
        return await writeAll(s, schema, gzip, o);
      } finally {
        await s.exec('COMMIT');
      }
    });
    await closed;
    const { sha256, bytes } = await fileSha256(path);
    return { ...manifest, file: path, bytes, sha256 };
  } catch (err) {
    gzip.destroy();
    file.destroy();
    throw err;
  } finally {
    await archiveDb.close();
  }
}

async function writeAll(s: DbSession, schema: string, out: Writable, o: ArchiveWriteOptions): Promise<ArchiveManifest> {
  // With the schema as the default database, SHOW CREATE VIEW/TABLE leave its own names
  // unqualified (as mysqldump's output), so the archive restores into a schema of any name.
  await s.exec(`USE ${quoteIdent(schema)}`);
  const [version] = await s.query<unknown[]>('SELECT VERSION()');
  const serverVersion = str(version![0]);
  const w = new DumpWriter(out, {
    flavor: /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql8',
    host: o.source ?? 'localhost',
    client: 'tokyobeta pipeline cleanup archive (mysqldump format, binary values as hex)',
    netBufferLength: o.statementBytes,
  });
  await w.begin(schema, serverVersion);
  const objects = (
    await s.query<unknown[]>('SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [
      schema,
    ])
  ).map((r) => ({ name: str(r[0]), type: str(r[1]) }));
  const tables: TableDigest[] = [];
  for (const t of objects.filter((x) => x.type === 'BASE TABLE')) tables.push(await writeTable(s, schema, t.name, w, o));
  const views = orderViews(
    await Promise.all(objects.filter((x) => x.type === 'VIEW').map(async (v) => ({ name: v.name, ddl: await viewDdl(s, schema, v.name) }))),
  );
  for (const v of views) await w.view(v.name, v.ddl);
  await w.end(o.now ?? new Date());
  return { schema, tables, views: views.map((v) => v.name) };
}

async function writeTable(s: DbSession, schema: string, table: string, w: DumpWriter, o: ArchiveWriteOptions): Promise<TableDigest> {
  const cols = await s.query<unknown[]>(
    `SELECT COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [schema, table],
  );
  // Generated columns take no value on INSERT, so they are left out (and the column list written).
  const all = cols.map((c) => ({
    name: str(c[0]),
    kind: kindOf(str(c[1])),
    generated: /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(str(c[2] ?? '')),
  }));
  const columns: Column[] = all.filter((c) => !c.generated);
  const keyRows = await s.query<unknown[]>(
    `SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`,
    [schema, table],
  );
  const key = keyRows.map((r) => str(r[0]));
  const [create] = await s.query<unknown[]>(`SHOW CREATE TABLE ${qualified(schema, table)}`);
  await w.table(table, str(create![1]), all.some((c) => c.generated) ? columns.map((c) => c.name) : undefined);

  const hash = createHash('sha256');
  const pageRows = o.pageRows ?? 5000;
  const select = `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${qualified(schema, table)}`;
  const keyIndexes = key.map((k) => columns.findIndex((c) => c.name === k));
  const keyed = key.length > 0 && keyIndexes.every((i) => i >= 0);
  let after: Buffer[] | undefined;
  for (;;) {
    // Keyset paging in primary-key order; a table without a usable key is read in one query.
    const where =
      keyed && after
        ? ` WHERE ${keyAfter(
            key,
            keyIndexes.map((i) => columns[i]!.kind),
            after,
          )}`
        : '';
    const order = keyed ? ` ORDER BY ${key.map(quoteIdent).join(', ')} LIMIT ${pageRows}` : '';
    const page = await s.query<Array<Buffer | null>>(select + where + order);
    for (const row of page) {
      let tuple = '(';
      let tokens = '';
      for (let i = 0; i < row.length; i++) {
        const [lit, tok] = encode(row[i]!, columns[i]!.kind);
        tuple += i === 0 ? lit : ',' + lit;
        tokens += tok;
      }
      tuple += ')';
      hash.update(tokens + ROW_END);
      if (!w.rowText(tuple)) await w.drain();
    }
    o.onRows?.(page.length);
    if (!keyed || page.length < pageRows) break;
    const last = page[page.length - 1]!;
    after = keyIndexes.map((i) => last[i]!);
  }
  const stats = await w.endTable();
  return { name: table, rows: stats.rows, digest: hash.digest('hex') };
}

/**
 * `(k1, k2) > (v1, v2)` for keyset paging, with the key's values as literals: numbers as the
 * server's own digits (a string would be compared as a string and lose the index range), text
 * quoted (compared in the column's collation, as ORDER BY sorts), bytes as hex.
 */
export function keyAfter(key: string[], kinds: ValueKind[], values: Buffer[]): string {
  const lits = values.map((v, i) => {
    const [lit] = encode(v, kinds[i]!);
    if (kinds[i] === 'number' && !/^[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?$/.test(lit)) throw new Error(`unexpected numeric key value '${lit}'`);
    return lit;
  });
  return key.length === 1 ? `${quoteIdent(key[0]!)} > ${lits[0]}` : `(${key.map(quoteIdent).join(', ')}) > (${lits.join(', ')})`;
}

/** SHOW CREATE VIEW without its DEFINER clause: the archive must load as any user. */
async function viewDdl(s: DbSession, schema: string, view: string): Promise<string> {
  const [row] = await s.query<unknown[]>(`SHOW CREATE VIEW ${qualified(schema, view)}`);
  return str(row![1]).replace(/\sDEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`/, '');
}

/** Views that others select from come first. */
function orderViews(views: Array<{ name: string; ddl: string }>): Array<{ name: string; ddl: string }> {
  const done: Array<{ name: string; ddl: string }> = [];
  const pending = [...views];
  while (pending.length) {
    const i = pending.findIndex((v) => !pending.some((w) => w !== v && v.ddl.includes(quoteIdent(w.name))));
    done.push(...pending.splice(i < 0 ? 0 : i, 1));
  }
  return done;
}
