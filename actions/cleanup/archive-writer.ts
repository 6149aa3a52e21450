/**
 * Writes one schema as a mysqldump-format `.sql.gz` that the plain `mariadb`/`mysql` client loads
 * back: the header's session settings, DROP/CREATE TABLE, LOCK TABLES, extended INSERTs cut at
 * about 1 MB, views last (without DEFINER), and the trailer. Everything is read inside one
 * consistent snapshot, in key order, a page at a time (constant memory for keyed tables). While
 * writing it digests every value (sql-literal.ts), so the file can be verified by reading it back.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { openDb, qualified, quoteIdent, type Db, type DbSession } from '../shared/db.ts';
import { kindOf, literal, quoteText, ROW_END, token, type ValueKind } from './sql-literal.ts';

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
    driver: { rowsAsArray: true, typeCast: (field: { buffer(): Buffer | null }) => field.buffer() },
  });
}

class Output {
  private readonly gzip = createGzip({ level: 6 });
  private readonly file;
  constructor(path: string) {
    this.file = createWriteStream(path, { flags: 'wx' });
    this.gzip.pipe(this.file);
  }
  async write(text: string): Promise<void> {
    if (!this.gzip.write(text)) await once(this.gzip, 'drain');
  }
  async close(): Promise<void> {
    const done = once(this.file, 'close');
    this.gzip.end();
    await done;
  }
  destroy(): void {
    this.gzip.destroy();
    this.file.destroy();
  }
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
  const out = new Output(path);
  try {
    const manifest = await archiveDb.withSession(async (s) => {
      // One snapshot for the whole schema: tables agree with each other, as mysqldump --single-transaction.
      await s.exec('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await s.exec('START TRANSACTION WITH CONSISTENT SNAPSHOT');
      try {
        return await writeAll(s, schema, out, o);
      } finally {
        await s.exec('COMMIT');
      }
    });
    await out.close();
    const { sha256, bytes } = await fileSha256(path);
    return { ...manifest, file: path, bytes, sha256 };
  } catch (err) {
    out.destroy();
    throw err;
  } finally {
    await archiveDb.close();
  }
}

async function writeAll(s: DbSession, schema: string, out: Output, o: ArchiveWriteOptions): Promise<ArchiveManifest> {
  const now = (o.now ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  // With the schema as the default database, SHOW CREATE VIEW/TABLE leave its own names
  // unqualified (as mysqldump's output), so the archive restores into a schema of any name.
  await s.exec(`USE ${quoteIdent(schema)}`);
  const objects = (await s.query<unknown[]>(
    'SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    [schema],
  )).map((r) => ({ name: str(r[0]), type: str(r[1]) }));
  await out.write(header(schema, o.source ?? 'the warehouse', now));
  const tables: TableDigest[] = [];
  for (const t of objects.filter((x) => x.type === 'BASE TABLE')) tables.push(await writeTable(s, schema, t.name, out, o));
  const views = orderViews(await Promise.all(objects.filter((x) => x.type === 'VIEW').map(async (v) => ({ name: v.name, ddl: await viewDdl(s, schema, v.name) }))));
  for (const v of views) {
    await out.write(`\n--\n-- View structure for view ${quoteIdent(v.name)}\n--\n\nDROP TABLE IF EXISTS ${quoteIdent(v.name)};\n/*!50001 DROP VIEW IF EXISTS ${quoteIdent(v.name)}*/;\n${v.ddl};\n`);
  }
  await out.write(trailer(now));
  return { schema, tables, views: views.map((v) => v.name) };
}

function header(schema: string, source: string, now: string): string {
  return `-- tokyobeta pipeline archive of schema ${quoteIdent(schema)} (mysqldump format)
--
-- Host: ${source}    Database: ${schema}
-- Taken: ${now} UTC
-- Restore: mariadb -e 'CREATE DATABASE ${quoteIdent(schema)}' && gunzip -c THIS_FILE | mariadb ${schema}
-- ------------------------------------------------------

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
`;
}

function trailer(now: string): string {
  return `
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on ${now}
`;
}

async function writeTable(s: DbSession, schema: string, table: string, out: Output, o: ArchiveWriteOptions): Promise<TableDigest> {
  const cols = await s.query<unknown[]>(
    `SELECT COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [schema, table],
  );
  // Generated columns take no value on INSERT, so they are left out (and the column list written).
  const all = cols.map((c) => ({ name: str(c[0]), kind: kindOf(str(c[1])), generated: /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(str(c[2] ?? '')) }));
  const columns: Column[] = all.filter((c) => !c.generated);
  const columnList = all.some((c) => c.generated) ? ` (${columns.map((c) => quoteIdent(c.name)).join(',')})` : '';
  const keyRows = await s.query<unknown[]>(
    `SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX`,
    [schema, table],
  );
  const key = keyRows.map((r) => str(r[0]));
  const [create] = await s.query<unknown[]>(`SHOW CREATE TABLE ${qualified(schema, table)}`);
  const t = quoteIdent(table);
  await out.write(`\n--\n-- Table structure for table ${t}\n--\n\nDROP TABLE IF EXISTS ${t};\n/*!40101 SET @saved_cs_client     = @@character_set_client */;\n/*!40101 SET character_set_client = utf8mb4 */;\n${str(create![1])};\n/*!40101 SET character_set_client = @saved_cs_client */;\n`);
  await out.write(`\n--\n-- Dumping data for table ${t}\n--\n\nLOCK TABLES ${t} WRITE;\n/*!40000 ALTER TABLE ${t} DISABLE KEYS */;\n`);

  const hash = createHash('sha256');
  const limit = o.statementBytes ?? 1024 * 1024;
  const pageRows = o.pageRows ?? 5000;
  let rows = 0;
  let statement = '';
  const flush = async () => {
    if (statement) await out.write(statement + ';\n');
    statement = '';
  };
  const select = `SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${qualified(schema, table)}`;
  const keyIndexes = key.map((k) => columns.findIndex((c) => c.name === k));
  const keyed = key.length > 0 && keyIndexes.every((i) => i >= 0);
  let after: unknown[] | undefined;
  for (;;) {
    // Keyset paging in primary-key order; a table without a usable key is read in one query.
    const where = keyed && after ? ` WHERE (${key.map(quoteIdent).join(', ')}) > (${key.map(() => '?').join(', ')})` : '';
    const order = keyed ? ` ORDER BY ${key.map(quoteIdent).join(', ')} LIMIT ${pageRows}` : '';
    const page = await s.query<Array<Buffer | null>>(select + where + order, after);
    for (const row of page) {
      const values = row.map((v, i) => literal(v, columns[i]!.kind));
      for (let i = 0; i < row.length; i++) hash.update(token(row[i]!, columns[i]!.kind));
      hash.update(ROW_END);
      const tuple = `(${values.join(',')})`;
      if (statement && statement.length + tuple.length + 1 > limit) await flush();
      statement = statement ? `${statement},${tuple}` : `INSERT INTO ${t}${columnList} VALUES ${tuple}`;
      rows++;
    }
    o.onRows?.(page.length);
    if (!keyed || page.length < pageRows) break;
    const last = page[page.length - 1]!;
    after = keyIndexes.map((i) => (columns[i]!.kind === 'bytes' ? last[i] : last[i]!.toString(columns[i]!.kind === 'number' ? 'latin1' : 'utf8')));
  }
  await flush();
  await out.write(`/*!40000 ALTER TABLE ${t} ENABLE KEYS */;\nUNLOCK TABLES;\n`);
  return { name: table, rows, digest: hash.digest('hex') };
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

export { quoteText };
