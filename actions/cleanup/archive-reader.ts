/**
 * Reads an archive back, in one pass over the file and none over the server: the sha256 of the
 * gzip bytes, the sha256 of the SQL text they decompress to (gzip's own CRC checks each member),
 * and every statement parsed far enough to count each table's rows (the tuples of its INSERTs)
 * and to see each CREATE TABLE and CREATE VIEW. Compared with what the writer counted and hashed
 * while writing, equal means the file holds exactly the text written from the server's rows, and
 * that this text parses into as many rows as the server sent.
 *
 * The scan works on bytes (no UTF-8 decoding of the data: quotes, backslashes, parentheses and
 * semicolons are ASCII and never part of a multi-byte character), in one loop with no allocation
 * per value: it keeps up with zlib.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ArchiveManifest, TableCount } from './archive-writer.ts';
import { DigestStream } from './digest-stream.ts';

export class ArchiveFormatError extends Error {}

/** The scanner's states (constants, not an enum: the code stays erasable TypeScript). */
const S_Normal = 0;
const S_SQuote = 1;
const S_DQuote = 2;
const S_Backtick = 3;
const S_LineComment = 4;
const S_BlockComment = 5;
type S = number;

const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const SEMI = 0x3b;
const PAREN = 0x28;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
/** Bytes of a statement kept to tell what it is (an identifier is at most 64 characters). */
const HEAD_BYTES = 512;

/** One statement as the scanner saw it: its first bytes (comments left out) and its `(` outside quotes. */
export interface ScannedStatement {
  head: string;
  parens: number;
}

/**
 * Splits SQL text arriving in chunks into statements, wherever the chunks break. Only what the
 * archive needs is kept of each statement; see {@link ScannedStatement}.
 */
export class StatementScanner {
  private state = S_Normal;
  /** A backslash ended the last chunk inside a string: the next byte is escaped. */
  private escaped = false;
  /** The last byte seen in Normal or BlockComment state, for the two-byte tokens `--`, `/*`, `* /`. */
  private prev = 0;
  /** `--` was just seen: a comment if a space or control character follows. */
  private dashes = false;
  private head = Buffer.alloc(HEAD_BYTES);
  private headLength = 0;
  private parens = 0;

  private readonly onStatement: (s: ScannedStatement) => void;
  constructor(onStatement: (s: ScannedStatement) => void) {
    this.onStatement = onStatement;
  }

  feed(b: Buffer): void {
    const n = b.length;
    let i = 0;
    let state = this.state;
    let parens = this.parens;
    if (this.escaped && n > 0) {
      this.keep(b[0]!);
      this.escaped = false;
      i = 1;
    }
    while (i < n) {
      const c = b[i]!;
      switch (state) {
        case S_Normal:
          if (this.dashes) {
            this.dashes = false;
            if (c <= 0x20) {
              // `--` and a space: a comment to the line's end (which may be this very byte).
              // Take back the first `-`, kept as text.
              this.unkeep();
              if (c !== 0x0a) state = S_LineComment;
              break;
            }
            this.keep(DASH);
          }
          if (c === DASH && this.prev === DASH) {
            this.dashes = true;
            this.prev = 0;
          } else if (c === STAR && this.prev === SLASH) {
            this.unkeep();
            state = S_BlockComment;
            this.prev = 0;
          } else if (c === SEMI) {
            this.parens = parens;
            this.emit();
            parens = 0;
            this.prev = 0;
          } else {
            if (c === QUOTE) state = S_SQuote;
            else if (c === PAREN) parens++;
            else if (c === DQUOTE) state = S_DQuote;
            else if (c === BACKTICK) state = S_Backtick;
            this.keep(c);
            this.prev = c;
          }
          break;
        case S_SQuote:
        case S_DQuote: {
          // The hot loop: string contents, copied into the head only while it has room.
          const close = state === S_SQuote ? QUOTE : DQUOTE;
          const start = i;
          while (i < n) {
            const d = b[i]!;
            if (d === BACKSLASH) i += 2;
            else if (d === close) break;
            else i++;
          }
          if (this.headLength < HEAD_BYTES) this.keepRange(b, start, Math.min(i + 1, n));
          if (i >= n) {
            this.escaped = i > n;
            i = n;
            continue;
          }
          state = S_Normal;
          this.prev = 0;
          break;
        }
        case S_Backtick:
          this.keep(c);
          if (c === BACKTICK) state = S_Normal;
          this.prev = 0;
          break;
        case S_LineComment:
          if (c === 0x0a) {
            state = S_Normal;
            this.prev = 0;
          }
          break;
        case S_BlockComment:
          if (c === SLASH && this.prev === STAR) {
            state = S_Normal;
            this.prev = 0;
          } else this.prev = c;
          break;
      }
      i++;
    }
    this.state = state;
    this.parens = parens;
  }

  /** Call at the end of the text: throws if it ends inside a string or a statement. */
  finish(): void {
    if (this.state === S_SQuote || this.state === S_DQuote || this.state === S_Backtick) {
      throw new ArchiveFormatError('the archive ends inside a quoted string: it is truncated');
    }
    if (this.head.subarray(0, this.headLength).toString('latin1').trim()) {
      throw new ArchiveFormatError('the archive ends with an unterminated statement: it is truncated');
    }
  }

  private keep(c: number): void {
    if (this.headLength < HEAD_BYTES) this.head[this.headLength++] = c;
  }

  private unkeep(): void {
    if (this.headLength > 0) this.headLength--;
  }

  private keepRange(b: Buffer, start: number, end: number): void {
    const n = Math.min(end - start, HEAD_BYTES - this.headLength);
    b.copy(this.head, this.headLength, start, start + n);
    this.headLength += n;
  }

  private emit(): void {
    const head = this.head.subarray(0, this.headLength).toString('utf8').trim();
    this.headLength = 0;
    if (head) this.onStatement({ head, parens: this.parens });
    this.parens = 0;
  }
}

const IDENT = '`((?:[^`]|``)+)`';
const INSERT = new RegExp(`^INSERT\\s+INTO\\s+${IDENT}\\s*(\\()?`, 'i');
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}`, 'i');
const CREATE_VIEW = new RegExp(
  `^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:ALGORITHM\\s*=\\s*\\w+\\s+)?(?:SQL\\s+SECURITY\\s+\\w+\\s+)?VIEW\\s+(?:${IDENT}\\.)?${IDENT}`,
  'i',
);
const unq = (s: string) => s.replace(/``/g, '`');

export interface ReadArchive extends ArchiveManifest {
  /** Tables with a CREATE TABLE, in file order. */
  created: string[];
  /** sha256 and size of the compressed bytes read. */
  sha256: string;
  bytes: number;
}

/** Reads an archive from a stream of its gzipped bytes. */
export async function readArchiveStream(input: Readable, schema: string): Promise<ReadArchive> {
  const rows = new Map<string, number>();
  const created: string[] = [];
  const views: string[] = [];
  const scanner = new StatementScanner(({ head, parens }) => {
    const insert = INSERT.exec(head);
    if (insert) {
      const name = unq(insert[1]!);
      // Every `(` outside quotes opens a row, except that of a column list.
      rows.set(name, (rows.get(name) ?? 0) + parens - (insert[2] ? 1 : 0));
      return;
    }
    const table = CREATE_TABLE.exec(head);
    if (table) {
      created.push(unq(table[1]!));
      return;
    }
    const view = CREATE_VIEW.exec(head);
    if (view) views.push(unq(view[2] ?? view[1]!));
  });
  const packed = new DigestStream();
  const text = new DigestStream();
  await pipeline(input, packed, createGunzip({ chunkSize: 1 << 20 }), text, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) scanner.feed(chunk);
  });
  scanner.finish();
  for (const name of rows.keys()) {
    if (!created.includes(name)) throw new ArchiveFormatError(`the archive inserts into ${name} but never creates it`);
  }
  const tables: TableCount[] = created.map((name) => ({ name, rows: rows.get(name) ?? 0 }));
  return {
    schema,
    tables,
    views,
    created,
    textSha256: text.hash.digest('hex'),
    sha256: packed.hash.digest('hex'),
    bytes: packed.bytes,
  };
}

/** Reads an archive file; ours are always gzipped, also under a `.partial` name. */
export function readArchiveFile(path: string, schema: string): Promise<ReadArchive> {
  return readArchiveStream(createReadStream(path, { highWaterMark: 1 << 20 }), schema);
}

/** Every difference between what was written and what was read back; empty when they agree. */
export function compareManifests(written: ArchiveManifest & { sha256?: string }, read: ReadArchive): string[] {
  const problems: string[] = [];
  if (written.sha256 !== undefined && written.sha256 !== read.sha256) {
    problems.push(`the file's bytes differ from those written (sha256 ${read.sha256}, written ${written.sha256})`);
  }
  if (written.textSha256 !== read.textSha256) {
    problems.push(`the SQL text read back differs from the text written (sha256 ${read.textSha256}, written ${written.textSha256})`);
  }
  const byName = new Map(read.tables.map((t) => [t.name, t]));
  for (const t of written.tables) {
    const r = byName.get(t.name);
    if (!r) problems.push(`table ${t.name} is missing from the archive`);
    else if (r.rows !== t.rows) problems.push(`table ${t.name}: ${t.rows} rows written, ${r.rows} read back`);
    byName.delete(t.name);
  }
  for (const name of byName.keys()) problems.push(`table ${name} is in the archive but was not written`);
  const missingViews = written.views.filter((v) => !read.views.includes(v));
  if (missingViews.length) problems.push(`views missing from the archive: ${missingViews.join(', ')}`);
  return problems;
}
