/**
 * A streaming statement splitter for mysqldump output, over raw bytes (a dump need not be valid
 * UTF-8: `_binary '…'` literals hold raw bytes). It splits where the `mysql` client would:
 * on the current delimiter outside strings, identifiers and comments, and it follows `DELIMITER`
 * client commands (triggers and routines use `;;`).
 * https://dev.mysql.com/doc/refman/8.0/en/mysql-commands.html
 *
 * - Plain comments (`-- `, `#`, `/* … *\/`) are removed from statement text, as the client does.
 * - Conditional comments (`/*!40101 … *\/`, MariaDB's `/*M!100100 … *\/`) are kept: they are SQL.
 *   https://mariadb.com/kb/en/comment-syntax/
 * - MariaDB's sandbox header `/*M!999999\- enable the sandbox mode *\/` is a client command no
 *   server accepts: it is dropped like a comment.
 *
 * Memory is constant: a statement is held as slices of the input chunks until its delimiter, and
 * only a few bytes of look-ahead are carried between chunks.
 */

export interface Statement {
  /** The statement's bytes, without the delimiter and without plain comments. */
  sql: Buffer;
  /** Byte offset of the statement's first byte in the (decompressed) dump. */
  offset: number;
  /** 1-based line of the statement's first byte. */
  line: number;
  /** False for text left at the end of the input without a delimiter. */
  terminated: boolean;
}

const enum S {
  Normal,
  Single,
  Double,
  Backtick,
  LineComment,
  BlockComment,
}

const SEMI = 0x3b;
const NL = 0x0a;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const DASH = 0x2d;
const HASH = 0x23;
const BANG = 0x21;
/** Bytes of look-ahead the scanner may need at one position (`/*M!999999\`). */
const LOOKAHEAD = 24;
const SPACE = Buffer.from(' ');

function isSpace(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x0d || b === 0x09 || b === 0x0b || b === 0x0c;
}

export interface SplitterStats {
  /** Bytes consumed so far. */
  bytes: number;
  /** Lines seen so far. */
  lines: number;
  /** True when the last thing in the input (after the last statement) is mysqldump's trailer. */
  trailer: boolean;
}

/**
 * Feed chunks with `push`, then call `end`. Statements come out of both as arrays, in order.
 */
export class DumpSplitter {
  private state = S.Normal;
  private escaped = false;
  private inConditional = false;
  private delimiter = Buffer.from(';');
  private pieces: Buffer[] = [];
  private piecesLength = 0;
  private started = false;
  private stmtOffset = 0;
  private stmtLine = 1;
  private line = 1;
  /** Absolute offset of data[0] of the chunk being scanned. */
  private base = 0;
  private carry: Buffer | null = null;
  private commentIsTrailer = false;
  private sawTrailer = false;
  private bytesIn = 0;

  get stats(): SplitterStats {
    return { bytes: this.bytesIn, lines: this.line, trailer: this.sawTrailer };
  }

  push(chunk: Buffer): Statement[] {
    this.bytesIn += chunk.length;
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const out: Statement[] = [];
    this.scan(data, false, out);
    return out;
  }

  end(): Statement[] {
    const out: Statement[] = [];
    if (this.carry) {
      const data = this.carry;
      this.carry = null;
      this.scan(data, true, out);
    }
    if (this.state === S.LineComment && this.commentIsTrailer && !this.started) this.sawTrailer = true;
    if (this.started) {
      const sql = this.take(Buffer.alloc(0), 0, 0);
      const trimmed = trimEnd(sql);
      if (trimmed.length > 0) out.push({ sql: trimmed, offset: this.stmtOffset, line: this.stmtLine, terminated: false });
      this.started = false;
    }
    return out;
  }

  /** Ends the current statement: joins its pieces plus data[from, to). */
  private take(data: Buffer, from: number, to: number): Buffer {
    if (to > from) {
      this.pieces.push(data.subarray(from, to));
      this.piecesLength += to - from;
    }
    const sql = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.piecesLength);
    this.pieces = [];
    this.piecesLength = 0;
    return sql;
  }

  private scan(data: Buffer, final: boolean, out: Statement[]): void {
    const n = data.length;
    let d0 = this.delimiter[0]!;
    let dlen = this.delimiter.length;
    let special = specialBytes(d0);
    let state = this.state;
    // Lines are counted lazily (memchr over the bytes since the last count), only where a
    // statement starts: the hot loops never look at newlines.
    let counted = 0;
    let line = this.line;
    // Start of the current statement's piece in `data`, or -1 when the statement has no open piece.
    let seg = this.started && state !== S.LineComment && state !== S.BlockComment ? 0 : -1;
    // Next backslash at or after the scan position (cached: backslashes are rare).
    let nextBackslash = -1;
    let i = 0;
    // Where to stop and carry the rest to the next chunk (look-ahead needed at the boundary).
    const safeEnd = final ? n : n - LOOKAHEAD;
    const emit = (endExclusive: number, terminated: boolean) => {
      const sql = trimEnd(this.take(data, seg, endExclusive));
      if (sql.length > 0) out.push({ sql, offset: this.stmtOffset, line: this.stmtLine, terminated });
      this.started = false;
      seg = -1;
    };
    const carry = (at: number) => {
      line += countNewlines(data, counted, at);
      this.finishChunk(data, at, seg, state, line);
    };
    while (i < n) {
      switch (state) {
        case S.Normal: {
          if (this.started) {
            // Skip the bytes that cannot change the state (digits, commas, letters, spaces).
            while (i < n && special[data[i]!] === 0) i++;
            if (i >= n) break;
          }
          const b = data[i]!;
          if (i >= safeEnd && (b === d0 || b === SLASH || b === DASH || b === STAR || !this.started)) {
            carry(i); // not enough look-ahead here: the rest goes with the next chunk
            return;
          }
          if (!this.started) {
            if (isSpace(b)) {
              i++;
              continue;
            }
            if (b === DASH && data[i + 1] === DASH && (i + 2 >= n || data[i + 2]! <= 0x20)) {
              state = S.LineComment;
              this.commentIsTrailer = data.subarray(i, i + 17).toString('latin1') === '-- Dump completed';
              i += 2;
              continue;
            }
            if (b === HASH) {
              state = S.LineComment;
              this.commentIsTrailer = false;
              i++;
              continue;
            }
            if (b === SLASH && data[i + 1] === STAR && !isConditional(data, i)) {
              state = S.BlockComment;
              i += 2;
              continue;
            }
            if ((b === 0x64 || b === 0x44) && isDelimiterCommand(data, i)) {
              const eol = data.indexOf(NL, i);
              if (eol < 0 && !final) {
                carry(i);
                return;
              }
              const lineEnd = eol < 0 ? n : eol;
              const arg = data.subarray(i + 9, lineEnd).toString('latin1').trim().split(/\s+/)[0] ?? '';
              if (arg.length > 0) this.delimiter = Buffer.from(arg, 'latin1');
              d0 = this.delimiter[0]!;
              dlen = this.delimiter.length;
              special = specialBytes(d0);
              i = lineEnd;
              continue;
            }
            this.started = true;
            this.sawTrailer = false;
            this.stmtOffset = this.base + i;
            line += countNewlines(data, counted, i);
            counted = i;
            this.stmtLine = line;
            seg = i;
          }
          if (b === d0 && (dlen === 1 || matches(data, i, this.delimiter))) {
            emit(i, true);
            i += dlen;
            continue;
          }
          i++;
          if (b === QUOTE) state = S.Single;
          else if (b === DQUOTE) state = S.Double;
          else if (b === BACKTICK) state = S.Backtick;
          else if (b === DASH) {
            if (data[i] === DASH && (i + 1 >= n || data[i + 1]! <= 0x20)) {
              this.pieces.push(data.subarray(seg, i - 1));
              this.piecesLength += i - 1 - seg;
              seg = -1;
              state = S.LineComment;
              this.commentIsTrailer = false;
            }
          } else if (b === HASH) {
            this.pieces.push(data.subarray(seg, i - 1));
            this.piecesLength += i - 1 - seg;
            seg = -1;
            state = S.LineComment;
            this.commentIsTrailer = false;
          } else if (b === SLASH) {
            if (data[i] === STAR) {
              if (isConditional(data, i - 1)) {
                this.inConditional = true;
                i++;
              } else {
                this.pieces.push(data.subarray(seg, i - 1), SPACE);
                this.piecesLength += i - seg;
                seg = -1;
                state = S.BlockComment;
                i++;
              }
            }
          } else if (b === STAR && this.inConditional && data[i] === SLASH) {
            this.inConditional = false;
            i++;
          }
          break;
        }
        case S.Single:
        case S.Double: {
          // The hot path: most of a dump is string contents. Find the closing quote with memchr,
          // unless a backslash comes first (it escapes the next byte, possibly a quote).
          const q = state === S.Single ? QUOTE : DQUOTE;
          if (this.escaped) {
            this.escaped = false;
            i++;
            continue;
          }
          // Short strings: a plain loop beats two native calls.
          let k = i;
          const stop = Math.min(n, i + 48);
          while (k < stop) {
            const c = data[k]!;
            if (c === q || c === BACKSLASH) break;
            k++;
          }
          if (k < stop) {
            if (data[k] === q) {
              state = S.Normal;
              i = k + 1;
            } else if (k + 1 < n) i = k + 2;
            else {
              this.escaped = true;
              i = n;
            }
            continue;
          }
          i = k;
          const close = data.indexOf(q, i);
          if (nextBackslash !== n && nextBackslash < i) {
            nextBackslash = data.indexOf(BACKSLASH, i);
            if (nextBackslash < 0) nextBackslash = n;
          }
          if (nextBackslash < n && (close < 0 || nextBackslash < close)) {
            i = nextBackslash + 1;
            if (i >= n) this.escaped = true;
            else i++;
            continue;
          }
          if (close < 0) {
            i = n;
            break;
          }
          state = S.Normal;
          i = close + 1;
          break;
        }
        case S.Backtick: {
          const j = data.indexOf(BACKTICK, i);
          if (j < 0) {
            i = n;
            break;
          }
          state = S.Normal;
          i = j + 1;
          break;
        }
        case S.LineComment: {
          const j = data.indexOf(NL, i);
          if (j < 0) {
            i = n;
            break;
          }
          if (this.commentIsTrailer) this.sawTrailer = true;
          state = S.Normal;
          if (this.started) seg = j;
          i = j;
          break;
        }
        case S.BlockComment: {
          const j = data.indexOf('*/', i, 'latin1');
          if (j < 0) {
            // A '*' at the very end may start the '*/' of the next chunk: carry it.
            if (!final && data[n - 1] === STAR) {
              carry(n - 1);
              return;
            }
            i = n;
            break;
          }
          state = S.Normal;
          i = j + 2;
          if (this.started) seg = i;
          break;
        }
      }
    }
    carry(n);
  }

  /** Keeps the open piece of the current statement and carries data[from..] to the next chunk. */
  private finishChunk(data: Buffer, from: number, seg: number, state: S, line: number): void {
    if (seg >= 0 && from > seg) {
      this.pieces.push(data.subarray(seg, from));
      this.piecesLength += from - seg;
    }
    if (from < data.length) this.carry = Buffer.from(data.subarray(from));
    this.base += from;
    this.state = state;
    this.line = line;
  }
}

const specialCache = new Map<number, Uint8Array>();

/** Bytes that end the fast skip in the normal state: quotes, comment starts, the delimiter. */
function specialBytes(d0: number): Uint8Array {
  let t = specialCache.get(d0);
  if (!t) {
    t = new Uint8Array(256);
    for (const b of [QUOTE, DQUOTE, BACKTICK, DASH, HASH, SLASH, STAR, d0]) t[b] = 1;
    specialCache.set(d0, t);
  }
  return t;
}

function matches(data: Buffer, i: number, delim: Buffer): boolean {
  for (let k = 1; k < delim.length; k++) if (data[i + k] !== delim[k]) return false;
  return true;
}

/** `/*!` or `/*M!`, except the sandbox client command `/*M!999999\- … *\/` (a comment to us). */
function isConditional(data: Buffer, i: number): boolean {
  let k = i + 2;
  if (data[k] === 0x4d /* M */) k++;
  if (data[k] !== BANG) return false;
  k++;
  while (k < data.length && data[k]! >= 0x30 && data[k]! <= 0x39) k++;
  return data[k] !== BACKSLASH;
}

function isDelimiterCommand(data: Buffer, i: number): boolean {
  if (i + 10 > data.length) return false;
  if (data.subarray(i, i + 9).toString('latin1').toLowerCase() !== 'delimiter') return false;
  const next = data[i + 9]!;
  return next === 0x20 || next === 0x09;
}

function countNewlines(data: Buffer, from: number, to: number): number {
  let c = 0;
  let k = data.indexOf(NL, from);
  while (k >= 0 && k < to) {
    c++;
    k = data.indexOf(NL, k + 1);
  }
  return c;
}

function trimEnd(b: Buffer): Buffer {
  let e = b.length;
  while (e > 0 && isSpace(b[e - 1]!)) e--;
  return e === b.length ? b : b.subarray(0, e);
}

/** Splits a whole buffer (tests, small dumps). */
export function splitAll(data: Buffer | string, chunkSize = 64 * 1024): { statements: Statement[]; stats: SplitterStats } {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const s = new DumpSplitter();
  const statements: Statement[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) statements.push(...s.push(buf.subarray(i, i + chunkSize)));
  statements.push(...s.end());
  return { statements, stats: s.stats };
}
