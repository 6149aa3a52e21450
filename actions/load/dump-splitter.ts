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

import { ESCAPE_SAME, loadChunk, scanValues, V_DUE, VSTOP_END, VSTOP_NEED_MORE, VSTOP_SEMI, type ValuesState } from './scan-values.ts';

export interface Statement {
  /** The statement's bytes, without the delimiter and without plain comments. */
  readonly sql: Buffer;
  /** `sql.length`, known without joining the statement's pieces. */
  readonly size?: number;
  /** The first `n` bytes of `sql`, without joining the pieces when the first one is long enough. */
  head?(n: number): Buffer;
  /** Byte offset of the statement's first byte in the (decompressed) dump. */
  offset: number;
  /** 1-based line of the statement's first byte. */
  line: number;
  /** False for text left at the end of the input without a delimiter. */
  terminated: boolean;
  /** True when `sql` is the dump's bytes [offset, offset + sql.length) as they are (no comment taken out). */
  readonly contiguous?: boolean;
  /**
   * For an `INSERT … VALUES` whose list the splitter checked while splitting (one pass over the
   * bytes, see `S_Values`): the result, valid when the classifier finds VALUES ending at `at`.
   * Absent when the list held anything unusual: the classifier then checks it with checkValues.
   */
  values?: FusedValues;
}

/** Offsets are in `sql`. */
export interface FusedValues {
  at: number;
  rows: number;
  plain: boolean;
  first: number;
  last: number;
}

/**
 * The scanner's states. Plain numeric constants, not an enum: the code stays erasable TypeScript
 * (Node runs it without a transpiler). The hot switch in `scan` spells them as literals.
 */
const S_Normal = 0;
const S_Single = 1;
const S_Double = 2;
const S_Backtick = 3;
const S_LineComment = 4;
const S_BlockComment = 5;
/** Inside the VALUES list of an INSERT: splitting and the literal-only check in one pass. */
const S_Values = 6;
/** A single-quoted string inside a VALUES list. */
const S_VString = 7;
type S = number;

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

/** A statement held as slices of the input chunks; `sql` joins them on first use. */
class SplitStatement implements Statement {
  values?: FusedValues;
  private joined: Buffer | undefined;

  private pieces: Buffer[];
  readonly size: number;
  readonly offset: number;
  readonly line: number;
  readonly terminated: boolean;
  readonly contiguous: boolean;
  constructor(pieces: Buffer[], size: number, offset: number, line: number, terminated: boolean, contiguous: boolean) {
    this.pieces = pieces;
    this.size = size;
    this.offset = offset;
    this.line = line;
    this.terminated = terminated;
    this.contiguous = contiguous;
  }

  get sql(): Buffer {
    if (this.joined === undefined) {
      this.joined = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.size);
      this.pieces = [];
    }
    return this.joined;
  }

  head(n: number): Buffer {
    const first = this.pieces[0];
    if (this.joined === undefined && first !== undefined && first.length >= Math.min(n, this.size)) return first.subarray(0, n);
    return this.sql.subarray(0, n);
  }
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
  private state = S_Normal;
  private escaped = false;
  private inConditional = false;
  private delimiter = Buffer.from(';');
  private pieces: Buffer[] = [];
  private piecesLength = 0;
  /** pieces[0, ownedPieces) are copies, not slices of an input chunk (see `detach`). */
  private ownedPieces = 0;
  private started = false;
  /** A comment was taken out of the current statement. */
  private gap = false;
  private stmtOffset = 0;
  private stmtLine = 1;
  private line = 1;
  /** Absolute offset of data[0] of the chunk being scanned. */
  private base = 0;
  private carry: Buffer | null = null;
  private commentIsTrailer = false;
  private sawTrailer = false;
  private bytesIn = 0;
  // The VALUES list being checked in S_Values (offsets relative to the statement's first byte).
  private vActive = false;
  private vAt = 0;
  private readonly v: ValuesState = { depth: 0, expect: V_DUE, plain: true, closed: false, rows: 0 };
  private vFirst = -1;
  private vLast = -1;
  /** The chunk being scanned is in the WebAssembly module's memory (see scan-values.ts). */
  private chunkLoaded = false;

  get stats(): SplitterStats {
    return { bytes: this.bytesIn, lines: this.line, trailer: this.sawTrailer };
  }

  push(chunk: Buffer): Statement[] {
    this.bytesIn += chunk.length;
    const out: Statement[] = [];
    let data = chunk;
    if (this.carry) {
      // Join the carried look-ahead with the chunk's first bytes only: copying the whole chunk
      // (4 MB) for a few carried bytes cost about a tenth of the parse.
      const carried = this.carry;
      this.carry = null;
      const headLength = Math.min(chunk.length, 64 * 1024);
      const joint = Buffer.concat([carried, chunk.subarray(0, headLength)]);
      this.scan(joint, false, out);
      if (headLength === chunk.length) return out;
      const left = this.carry as Buffer | null;
      this.carry = null;
      // The scan stopped `left.length` bytes before the joint's end: continue in the chunk there.
      const resume = joint.length - (left?.length ?? 0) - carried.length;
      data = resume >= 0 ? chunk.subarray(resume) : Buffer.concat([left!, chunk.subarray(headLength)]);
    }
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
    if (this.state === S_LineComment && this.commentIsTrailer && !this.started) this.sawTrailer = true;
    if (this.started) {
      const st = this.take(Buffer.alloc(0), 0, 0, false);
      if (st) out.push(st);
      this.started = false;
    }
    return out;
  }

  /**
   * Copies what the splitter still holds of the chunks pushed so far (the open statement's
   * pieces), so the caller may overwrite them: parse-only reads the file into one reused buffer,
   * which saves the page faults of a fresh 4 MB buffer per chunk. Statements already returned
   * are the caller's to drop or copy.
   */
  detach(): void {
    for (let k = this.ownedPieces; k < this.pieces.length; k++) this.pieces[k] = Buffer.from(this.pieces[k]!);
    this.ownedPieces = this.pieces.length;
  }

  /**
   * Ends the current statement: its pieces plus data[from, to), trailing spaces trimmed, or null
   * when nothing is left. The pieces are joined only if someone reads `sql` (parse-only does not).
   */
  private take(data: Buffer, from: number, to: number, terminated: boolean): SplitStatement | null {
    if (to > from) {
      this.pieces.push(data.subarray(from, to));
      this.piecesLength += to - from;
    }
    const pieces = this.pieces;
    let size = this.piecesLength;
    this.pieces = [];
    this.piecesLength = 0;
    this.ownedPieces = 0;
    while (pieces.length > 0) {
      const last = pieces[pieces.length - 1]!;
      const trimmed = trimEnd(last);
      size -= last.length - trimmed.length;
      if (trimmed.length > 0) {
        pieces[pieces.length - 1] = trimmed;
        break;
      }
      pieces.pop();
    }
    if (size === 0) return null;
    return new SplitStatement(pieces, size, this.stmtOffset, this.stmtLine, terminated, !this.gap);
  }

  private scan(data: Buffer, final: boolean, out: Statement[]): void {
    this.chunkLoaded = false;
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
    let seg = this.started && state !== S_LineComment && state !== S_BlockComment ? 0 : -1;
    // Next backslash at or after the scan position (cached: backslashes are rare).
    let nextBackslash = -1;
    let i = 0;
    // Where to stop and carry the rest to the next chunk (look-ahead needed at the boundary).
    const safeEnd = final ? n : n - LOOKAHEAD;
    // No closures here: a closure created per call is a new call target each chunk, and V8
    // deoptimized this function at every chunk for it ("wrong call target"). The case labels are
    // number literals (the S_ constants' values): with the module-level constants as labels the
    // switch compares against module bindings, and parsing was 1.6x slower on Node 20 (347 against
    // 569 MB/s per CPU second, same machine, same run: 2026-12-07).
    while (i < n) {
      switch (state) {
        case 0 /* S_Normal */:
          {
            if (this.started) {
              // Skip the bytes that cannot change the state (digits, commas, letters, spaces).
              while (i < n && special[data[i]!] === 0) i++;
              if (i >= n) break;
            }
            const b = data[i]!;
            if (i >= safeEnd && (b === d0 || b === SLASH || b === DASH || b === STAR || !this.started)) {
              this.finishChunk(data, i, seg, state, line + countNewlines(data, counted, i)); // not enough look-ahead here: the rest goes with the next chunk
              return;
            }
            if (!this.started) {
              if (isSpace(b)) {
                i++;
                continue;
              }
              if (b === DASH && data[i + 1] === DASH && (i + 2 >= n || data[i + 2]! <= 0x20)) {
                state = S_LineComment;
                this.commentIsTrailer = data.subarray(i, i + 17).toString('latin1') === '-- Dump completed';
                i += 2;
                continue;
              }
              if (b === HASH) {
                state = S_LineComment;
                this.commentIsTrailer = false;
                i++;
                continue;
              }
              if (b === SLASH && data[i + 1] === STAR && !isConditional(data, i)) {
                state = S_BlockComment;
                i += 2;
                continue;
              }
              if ((b === 0x64 || b === 0x44) && isDelimiterCommand(data, i)) {
                const eol = data.indexOf(NL, i);
                if (eol < 0 && !final) {
                  this.finishChunk(data, i, seg, state, line + countNewlines(data, counted, i));
                  return;
                }
                const lineEnd = eol < 0 ? n : eol;
                const arg =
                  data
                    .subarray(i + 9, lineEnd)
                    .toString('latin1')
                    .trim()
                    .split(/\s+/)[0] ?? '';
                if (arg.length > 0) this.delimiter = Buffer.from(arg, 'latin1');
                d0 = this.delimiter[0]!;
                dlen = this.delimiter.length;
                special = specialBytes(d0);
                i = lineEnd;
                continue;
              }
              this.started = true;
              this.gap = false;
              this.sawTrailer = false;
              this.stmtOffset = this.base + i;
              line += countNewlines(data, counted, i);
              counted = i;
              this.stmtLine = line;
              seg = i;
              this.vActive = false;
              if (dlen === 1 && d0 === SEMI) {
                const v = valuesStart(data, i, safeEnd);
                if (v > 0) {
                  this.vActive = true;
                  this.vAt = v - i;
                  Object.assign(this.v, { depth: 0, expect: V_DUE, plain: true, closed: false, rows: 0 });
                  this.vFirst = -1;
                  this.vLast = -1;
                  state = S_Values;
                  i = v;
                  continue;
                }
              }
            }
            if (b === d0 && (dlen === 1 || matches(data, i, this.delimiter))) {
              this.emit(data, seg, i, out);
              seg = -1;
              i += dlen;
              continue;
            }
            i++;
            if (b === QUOTE) state = S_Single;
            else if (b === DQUOTE) state = S_Double;
            else if (b === BACKTICK) state = S_Backtick;
            else if (b === HASH || (b === DASH && data[i] === DASH && (i + 1 >= n || data[i + 1]! <= 0x20))) {
              // `# …` or `-- …`: a comment to the end of the line, taken out of the statement.
              this.pieces.push(data.subarray(seg, i - 1));
              this.gap = true;
              this.piecesLength += i - 1 - seg;
              seg = -1;
              state = S_LineComment;
              this.commentIsTrailer = false;
            } else if (b === SLASH) {
              if (data[i] === STAR) {
                if (isConditional(data, i - 1)) {
                  this.inConditional = true;
                  i++;
                } else {
                  this.pieces.push(data.subarray(seg, i - 1), SPACE);
                  this.gap = true;
                  this.piecesLength += i - seg;
                  seg = -1;
                  state = S_BlockComment;
                  i++;
                }
              }
            } else if (b === STAR && this.inConditional && data[i] === SLASH) {
              this.inConditional = false;
              i++;
            }
            break;
          }
        case 6 /* S_Values */:
          {
            // The hot path: rows of an extended INSERT, scanned in WebAssembly (scan-values.ts).
            if (!this.chunkLoaded) {
              loadChunk(data);
              this.chunkLoaded = true;
            }
            const r = scanValues(i, n, this.v, this.vFirst < 0);
            if (r.first >= 0) this.vFirst = this.base + r.first - this.stmtOffset;
            if (r.last >= 0) this.vLast = this.base + r.last - this.stmtOffset;
            i = r.at;
            const stop = r.stop;
            if (stop === VSTOP_END) {
              if (r.inString) {
                state = S_VString;
                this.escaped = r.escaped;
              }
              break;
            }
            if (stop === VSTOP_SEMI) {
              if (!this.v.closed || this.v.depth !== 0) this.vActive = false;
              this.emit(data, seg, i, out);
              seg = -1;
              state = S_Normal;
              i++;
              continue;
            }
            if (stop === VSTOP_NEED_MORE && !final) {
              this.finishChunk(data, i, seg, state, line + countNewlines(data, counted, i)); // look-ahead for NULL / a minus sign
              return;
            }
            // Anything else: the generic scanner decides; checkValues will check the list.
            this.vActive = false;
            state = S_Normal;
            continue;
          }
        case 1 /* S_Single */:
        case 2 /* S_Double */:
        case 7 /* S_VString */:
          {
            // The hot path: most of a dump is string contents. Find the closing quote with memchr,
            // unless a backslash comes first (it escapes the next byte, possibly a quote).
            const q = state === S_Double ? DQUOTE : QUOTE;
            const back = state === S_VString ? S_Values : S_Normal;
            if (this.escaped) {
              this.escaped = false;
              if (ESCAPE_SAME[data[i]!] === 0) this.v.plain = false;
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
                state = back;
                i = k + 1;
              } else if (k + 1 < n) {
                if (ESCAPE_SAME[data[k + 1]!] === 0) this.v.plain = false;
                i = k + 2;
              } else {
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
              else {
                if (ESCAPE_SAME[data[i]!] === 0) this.v.plain = false;
                i++;
              }
              continue;
            }
            if (close < 0) {
              i = n;
              break;
            }
            state = back;
            i = close + 1;
            break;
          }
        case 3 /* S_Backtick */:
          {
            const j = data.indexOf(BACKTICK, i);
            if (j < 0) {
              i = n;
              break;
            }
            state = S_Normal;
            i = j + 1;
            break;
          }
        case 4 /* S_LineComment */:
          {
            const j = data.indexOf(NL, i);
            if (j < 0) {
              i = n;
              break;
            }
            if (this.commentIsTrailer) this.sawTrailer = true;
            state = S_Normal;
            if (this.started) seg = j;
            i = j;
            break;
          }
        case 5 /* S_BlockComment */:
          {
            const j = data.indexOf('*/', i, 'latin1');
            if (j < 0) {
              // A '*' at the very end may start the '*/' of the next chunk: carry it.
              if (!final && data[n - 1] === STAR) {
                this.finishChunk(data, n - 1, seg, state, line + countNewlines(data, counted, n - 1));
                return;
              }
              i = n;
              break;
            }
            state = S_Normal;
            i = j + 2;
            if (this.started) seg = i;
            break;
          }
      }
    }
    this.finishChunk(data, n, seg, state, line + countNewlines(data, counted, n));
  }

  /** Ends the current statement at data[endExclusive] (its delimiter). */
  private emit(data: Buffer, seg: number, endExclusive: number, out: Statement[]): void {
    const st = this.take(data, seg, endExclusive, true);
    if (st) {
      if (this.vActive && this.v.depth === 0 && this.v.rows > 0)
        st.values = { at: this.vAt, rows: this.v.rows, plain: this.v.plain, first: this.vFirst, last: this.vLast };
      out.push(st);
    }
    this.vActive = false;
    this.started = false;
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

const VALUES_KW = Buffer.from('VALUES', 'latin1');
/** Bytes that may not appear in an INSERT header the fused check jumps over. */
const HEADER_STOP = new Uint8Array(256);
for (const c of '\'"#/-*;\\') HEADER_STOP[c.charCodeAt(0)] = 1;

/**
 * Where the VALUES list of a mysqldump-style `INSERT INTO \`t\` [(cols)] VALUES` starting at `i`
 * begins (just after VALUES), or -1 when the header is anything else (then the statement is
 * split generically). The header must hold no quotes, comments or delimiters and VALUES must not
 * be inside backticks; the classifier checks that its own parse finds VALUES at the same place.
 */
function valuesStart(data: Buffer, i: number, limit: number): number {
  const b = data[i];
  if (b !== 0x49 && b !== 0x52) return -1; // INSERT, REPLACE (mysqldump writes them upper-case)
  const v = data.indexOf(VALUES_KW, i);
  if (v < 0 || v + 7 >= limit || v - i > 4096) return -1;
  const before = data[v - 1]!;
  const after = data[v + 6]!;
  if (!(isSpace(before) || before === 0x29) || !(isSpace(after) || after === 0x28)) return -1;
  let ticks = 0;
  for (let k = i; k < v; k++) {
    const c = data[k]!;
    if (HEADER_STOP[c] === 1) return -1;
    if (c === BACKTICK) ticks++;
  }
  return ticks % 2 === 0 ? v + 6 : -1;
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
  if (
    data
      .subarray(i, i + 9)
      .toString('latin1')
      .toLowerCase() !== 'delimiter'
  )
    return false;
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
