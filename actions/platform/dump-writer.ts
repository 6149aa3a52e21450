/**
 * A streaming writer of mysqldump output, byte for byte in the shape `mysqldump` (MySQL 8) or
 * `mariadb-dump` (MariaDB 10.11) writes with their default options (`--opt`: add-drop-table,
 * add-locks, disable-keys, extended-insert, set-charset, tz-utc).
 *
 * Use it to produce dumps (the synthetic vendor dump of `generate-dump`) and to archive schemas
 * (`cleanup --archive-to`): the output loads with the plain `mysql`/`mariadb` client and with our
 * loader, exactly like a real dump.
 *
 * ```ts
 * const w = new DumpWriter(fileStream, { flavor: 'mysql8' });
 * await w.begin('gghouse', '8.0.36');
 * await w.table('rooms', createTableSql);           // SHOW CREATE TABLE text, no trailing ';'
 * for (const r of rows) if (!w.row([r.id, r.name, null, Buffer.from([0])])) await w.drain();
 * await w.endTable();
 * await w.end('2026-02-05 03:00:00');                // ends `fileStream` too
 * ```
 *
 * Memory stays constant: text is collected up to `chunkBytes` and then written; `row()` returns
 * false when the stream asked to wait, and `drain()` waits for it (as `Writable.write` does).
 * Nothing here reads the clock: the trailer's date is the caller's.
 *
 * Extended INSERTs are cut exactly where mysqldump cuts them (client/mysqldump.cc, dump_table):
 * a row joins the current statement while `total + rowLength < net_buffer_length`, where
 * `rowLength` is the row's `(...)` text plus 2 and a statement starts at its `INSERT INTO ...
 * VALUES ` text plus 4. See https://dev.mysql.com/doc/refman/8.0/en/mysqldump.html#option_mysqldump_net-buffer-length.
 */
import type { Writable } from 'node:stream';
import { quoteIdent } from './db.ts';
import { escapeBinary, formatDateTime, sqlLiteral, type DumpValue } from './sql-literal.ts';

export { decimal, dumpValue, SqlText, type DumpValue } from './sql-literal.ts';

/** Which tool's output to reproduce. */
export type DumpFlavor = 'mysql8' | 'mariadb';

export interface DumpWriterOptions {
  /** Default 'mysql8' (the vendor's Aurora MySQL 3); 'mariadb' is what `mariadb-dump` 10.11 writes. */
  flavor?: DumpFlavor;
  /** Host shown in the header. Default 'localhost'. */
  host?: string;
  /**
   * The first header line's tool and version. Default per flavor:
   * 'MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)' or
   * 'MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)'.
   */
  client?: string;
  /** Bytes at which extended INSERTs are cut. Default: the tool's default net_buffer_length. */
  netBufferLength?: number;
  /** Text collected before one write to the stream. Default 1 MiB. */
  chunkBytes?: number;
}

/** Counts the writer keeps for each table it wrote. */
export interface DumpTableStats {
  table: string;
  rows: number;
  /** Bytes of this table's part of the dump (structure, data and envelope). */
  bytes: number;
  /** INSERT statements written. */
  statements: number;
}

/** What a finished dump holds. */
export interface DumpStats {
  tables: DumpTableStats[];
  /** Total bytes written (before any compression the stream applies). */
  bytes: number;
}

interface FlavorText {
  client: string;
  netBufferLength: number;
  preamble: string;
  versioned: string;
  insertOpen: string;
  rowSeparator: string;
  binaryPrefix: string;
  escapeLeadBytes: boolean;
}

const FLAVORS: Record<DumpFlavor, FlavorText> = {
  mysql8: {
    client: 'MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)',
    // mysqldump's default: 1024 * 1024 - 1025.
    netBufferLength: 1047551,
    preamble: '',
    versioned: '50503',
    insertOpen: ' VALUES ',
    rowSeparator: ',',
    // mysqldump 8 marks binary values so the parser does not check them against the connection's
    // character set.
    binaryPrefix: '_binary ',
    escapeLeadBytes: true,
  },
  mariadb: {
    client: 'MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
    // mariadb-dump's default (see `mariadb-dump --help`).
    netBufferLength: 1046528,
    // Since 10.11.8 the first line makes the mariadb client refuse shell commands
    // (https://mariadb.org/mariadb-dump-file-compatibility-change/).
    preamble: '/*M!999999\\- enable the sandbox mode */ \n',
    versioned: '40101',
    insertOpen: ' VALUES\n',
    rowSeparator: ',\n',
    binaryPrefix: '',
    // mariadb-dump leaves a byte that only looks like a multi-byte lead as it is.
    escapeLeadBytes: false,
  },
};

type State = 'new' | 'begun' | 'table' | 'ended';

/**
 * Formats `-- Dump completed on` the way mysqldump does: `%04d-%02d-%02d %2d:%02d:%02d`.
 * Accepts a Date (printed in UTC) or 'YYYY-MM-DD HH:MM:SS'.
 */
export function formatCompletedOn(when: Date | string): string {
  const text = typeof when === 'string' ? when : formatDateTime(when);
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new Error(`dump completion time '${text}' is not 'YYYY-MM-DD HH:MM:SS'`);
  return `${m[1]} ${String(Number(m[2])).padStart(2, ' ')}:${m[3]}:${m[4]}`;
}

export class DumpWriter {
  private readonly f: FlavorText;
  private readonly host: string;
  private readonly netBufferLength: number;
  private readonly chunkBytes: number;
  private readonly clientLine: string;
  private state: State = 'new';
  private chunk: Buffer;
  private pos = 0;
  private flushed = 0;
  private failure: Error | undefined;
  private waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private needDrain = false;
  private readonly done: DumpTableStats[] = [];
  // The current table.
  private name = '';
  private quoted = '';
  private separator: Buffer;
  private firstInsert = Buffer.alloc(0);
  private nextInsert = Buffer.alloc(0);
  private headRoom = 0;
  private initLength = 0;
  private total = 0;
  private inStatement = false;
  private rows = 0;
  private statements = 0;
  private tableStart = 0;

  private readonly out: Writable;
  constructor(out: Writable, options: DumpWriterOptions = {}) {
    this.out = out;
    this.f = FLAVORS[options.flavor ?? 'mysql8'];
    if (!this.f) throw new Error(`unknown dump flavor '${options.flavor}': expected mysql8 or mariadb`);
    this.host = options.host ?? 'localhost';
    this.netBufferLength = options.netBufferLength ?? this.f.netBufferLength;
    this.chunkBytes = options.chunkBytes ?? 1 << 20;
    // Slack above chunkBytes so that a row never has to be split.
    this.chunk = Buffer.allocUnsafe(this.chunkBytes + (64 << 10));
    this.separator = Buffer.from(this.f.rowSeparator);
    this.clientLine = options.client ?? this.f.client;
    out.on('error', (err: Error) => this.fail(err));
    out.on('drain', () => this.release());
  }

  /** Bytes produced so far (written or pending). */
  get bytes(): number {
    return this.flushed + this.pos;
  }

  /** Writes the header: tool line, host and database, server version, the session SETs. */
  async begin(database: string, serverVersion: string): Promise<void> {
    this.expect('new', 'begin');
    const v = this.f.versioned;
    this.text(
      `${this.f.preamble}-- ${this.clientLine}\n--\n-- Host: ${this.host}    Database: ${database}\n` +
        `-- ------------------------------------------------------\n-- Server version\t${serverVersion}\n\n` +
        '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n' +
        '/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n' +
        '/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n' +
        `/*!${v} SET NAMES utf8mb4 */;\n` +
        '/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n' +
        "/*!40103 SET TIME_ZONE='+00:00' */;\n" +
        '/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n' +
        '/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n' +
        "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n" +
        '/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n',
    );
    this.state = 'begun';
    await this.drain();
  }

  /**
   * Starts a table: the structure comment, DROP TABLE IF EXISTS, the CREATE TABLE text
   * (`createTableSql` as SHOW CREATE TABLE prints it, without the final ';'), then the data
   * comment, LOCK TABLES and DISABLE KEYS. Rows follow with {@link row}; close with {@link endTable}.
   * `columns`, when given, is written as the INSERTs' column list (needed when the table has
   * generated columns, whose values are left out).
   */
  async table(name: string, createTableSql: string, columns?: readonly string[]): Promise<void> {
    this.expect('begun', 'table');
    this.name = name;
    this.quoted = quoteIdent(name);
    this.tableStart = this.bytes;
    this.rows = 0;
    this.statements = 0;
    this.inStatement = false;
    // A column list, as mysqldump writes for tables with generated columns (which take no value).
    const list = columns ? ` (${columns.map(quoteIdent).join(',')})` : '';
    this.firstInsert = Buffer.from(`INSERT INTO ${this.quoted}${list}${this.f.insertOpen}`);
    this.nextInsert = Buffer.from(`;\n${this.firstInsert}`);
    this.headRoom = this.nextInsert.length;
    // mysqldump measures the prefix with a trailing space (`INSERT INTO t VALUES `) plus 4.
    this.initLength = Buffer.byteLength(`INSERT INTO ${this.quoted}${list} VALUES `) + 4;
    const v = this.f.versioned;
    this.text(
      `\n--\n-- Table structure for table ${this.quoted}\n--\n\n` +
        `DROP TABLE IF EXISTS ${this.quoted};\n` +
        '/*!40101 SET @saved_cs_client     = @@character_set_client */;\n' +
        `/*!${v} SET character_set_client = utf8mb4 */;\n` +
        `${createTableSql.trimEnd().replace(/;$/, '')};\n` +
        '/*!40101 SET character_set_client = @saved_cs_client */;\n\n' +
        `--\n-- Dumping data for table ${this.quoted}\n--\n\n` +
        `LOCK TABLES ${this.quoted} WRITE;\n` +
        `/*!40000 ALTER TABLE ${this.quoted} DISABLE KEYS */;\n`,
    );
    this.state = 'table';
    await this.drain();
  }

  /**
   * Adds one row to the current table. Values: null/undefined (NULL), number, bigint, boolean,
   * string (quoted and escaped; dates as the server prints them, e.g. '2026-02-05' or
   * '0000-00-00'), Date (a UTC DATETIME), Uint8Array/Buffer (a binary string), or `decimal('12.50')`
   * for text printed verbatim. Returns false when the caller should `await drain()` first.
   */
  row(values: readonly DumpValue[]): boolean {
    let text = '(';
    let binary: Buffer[] | undefined;
    for (let i = 0; i < values.length; i++) {
      if (i > 0) text += ',';
      const v = values[i];
      if (v instanceof Uint8Array) {
        if (v.length === 0) {
          text += "''";
          continue;
        }
        binary ??= [];
        binary.push(Buffer.from(`${text}${this.f.binaryPrefix}'`), escapeBinary(v, this.f.escapeLeadBytes));
        text = "'";
      } else {
        text += sqlLiteral(v);
      }
    }
    text += ')';
    if (binary) {
      binary.push(Buffer.from(text));
      return this.rowBytes(Buffer.concat(binary));
    }
    return this.rowText(text);
  }

  /**
   * Adds one row already formatted as `(v1,v2,...)` with mysqldump's literals (see
   * sql-literal.ts): the fast path for generators. `byteLength` is its UTF-8 length if known.
   */
  rowText(tuple: string): boolean {
    if (this.state !== 'table') this.expect('table', 'row');
    // Encode the row straight into the chunk, after room for the longest head (';\n' + the
    // INSERT prefix); once its byte length is known, write the head and slide the row up to it.
    const room = this.headRoom;
    if (this.pos + room + tuple.length * 3 > this.chunk.length) {
      this.flush();
      if (room + tuple.length * 3 > this.chunk.length) return this.rowBytes(Buffer.from(tuple, 'utf8'));
    }
    const at = this.pos + room;
    const n = this.chunk.write(tuple, at, 'utf8');
    const head = this.headFor(n);
    head.copy(this.chunk, this.pos);
    this.chunk.copyWithin(this.pos + head.length, at, at + n);
    this.pos += head.length + n;
    this.rows++;
    if (this.pos >= this.chunkBytes) this.flush();
    return !this.needDrain;
  }

  /** The bytes that go before a row of `n` bytes: a separator, or (a ';' and) a new INSERT. */
  private headFor(n: number): Buffer {
    const rowLength = n + 2;
    if (this.inStatement && this.total + rowLength < this.netBufferLength) {
      this.total += rowLength;
      return this.separator;
    }
    const head = this.inStatement ? this.nextInsert : this.firstInsert;
    this.inStatement = true;
    this.statements++;
    this.total = rowLength + this.initLength;
    return head;
  }

  /**
   * Adds one row already encoded as UTF-8 `(v1,v2,...)` bytes, `src[start..end)`: the path for
   * rows built on other threads.
   */
  rowEncoded(src: Buffer, start: number, end: number): boolean {
    if (this.state !== 'table') this.expect('table', 'row');
    const n = end - start;
    if (this.pos + this.headRoom + n > this.chunk.length) {
      this.flush();
      if (this.headRoom + n > this.chunk.length) return this.rowBytes(Buffer.from(src.subarray(start, end)));
    }
    const head = this.headFor(n);
    head.copy(this.chunk, this.pos);
    src.copy(this.chunk, this.pos + head.length, start, end);
    this.pos += head.length + n;
    this.rows++;
    if (this.pos >= this.chunkBytes) this.flush();
    return !this.needDrain;
  }

  private rowBytes(tuple: Buffer): boolean {
    if (this.state !== 'table') this.expect('table', 'row');
    const head = this.headFor(tuple.length);
    this.bytesOut(head);
    this.bytesOut(tuple);
    this.rows++;
    return !this.needDrain;
  }

  /** Resolves when the stream can take more (at once if it can); rejects if the stream failed. */
  drain(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.needDrain) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Ends the current table's data (the last INSERT, ENABLE KEYS, UNLOCK TABLES). */
  async endTable(): Promise<DumpTableStats> {
    this.expect('table', 'endTable');
    this.text(`${this.inStatement ? ';\n' : ''}/*!40000 ALTER TABLE ${this.quoted} ENABLE KEYS */;\nUNLOCK TABLES;\n`);
    const stats = { table: this.name, rows: this.rows, bytes: this.bytes - this.tableStart, statements: this.statements };
    this.done.push(stats);
    this.state = 'begun';
    await this.drain();
    return stats;
  }

  /**
   * Adds a view after the tables, as mysqldump's final view section does: DROP TABLE/VIEW IF
   * EXISTS, then `createViewSql` as SHOW CREATE VIEW prints it (without the final ';'; drop its
   * DEFINER clause for a dump that must load as any user). Call it after the last table.
   */
  async view(name: string, createViewSql: string): Promise<void> {
    this.expect('begun', 'view');
    const q = quoteIdent(name);
    this.text(
      `\n--\n-- Final view structure for view ${q}\n--\n\n` +
        `/*!50001 DROP TABLE IF EXISTS ${q}*/;\n/*!50001 DROP VIEW IF EXISTS ${q}*/;\n` +
        `${createViewSql.trimEnd().replace(/;$/, '')};\n`,
    );
    await this.drain();
  }

  /**
   * Writes the trailer (restoring the session variables, then `-- Dump completed on ...` with
   * `completedOn`: a Date in UTC or 'YYYY-MM-DD HH:MM:SS'), ends the stream and waits until it
   * has finished.
   */
  async end(completedOn: Date | string): Promise<DumpStats> {
    this.expect('begun', 'end');
    this.text(
      '/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n\n' +
        '/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n' +
        '/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n' +
        '/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n' +
        '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n' +
        '/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n' +
        '/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n' +
        '/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n\n' +
        `-- Dump completed on ${formatCompletedOn(completedOn)}\n`,
    );
    this.state = 'ended';
    this.flush();
    await this.drain();
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
    return { tables: [...this.done], bytes: this.bytes };
  }

  private text(s: string): void {
    this.bytesOut(Buffer.from(s, 'utf8'));
  }

  /** Appends bytes to the chunk, writing full chunks to the stream. */
  private bytesOut(b: Buffer): void {
    if (this.pos + b.length > this.chunk.length) {
      this.flush();
      if (b.length > this.chunk.length) {
        this.send(b);
        return;
      }
    }
    b.copy(this.chunk, this.pos);
    this.pos += b.length;
    if (this.pos >= this.chunkBytes) this.flush();
  }

  private flush(): void {
    if (this.pos === 0) return;
    const full = this.chunk.subarray(0, this.pos);
    // The stream keeps the buffer it was given: continue in a fresh one.
    this.chunk = Buffer.allocUnsafe(this.chunk.length);
    this.pos = 0;
    this.send(full);
  }

  private send(b: Buffer): void {
    if (this.failure) throw this.failure;
    this.flushed += b.length;
    if (!this.out.write(b)) this.needDrain = true;
  }

  private release(): void {
    this.needDrain = false;
    const w = this.waiting;
    this.waiting = [];
    for (const x of w) x.resolve();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiting;
    this.waiting = [];
    for (const x of w) x.reject(err);
  }

  private expect(state: State, call: string): void {
    if (this.failure) throw this.failure;
    if (this.state !== state) {
      throw new Error(`DumpWriter.${call}() called in state '${this.state}' (table ${this.name || 'none'}): expected '${state}'`);
    }
  }
}
