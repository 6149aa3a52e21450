/**
 * Reads an archive back: splits the (gzipped) mysqldump text into statements, parses every
 * INSERT's values and digests them with the same tokens the writer used. The result is compared
 * with what the writer saw on the server, table by table: row counts and value digests.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ROW_END, token, type ValueKind } from './sql-literal.ts';
import type { ArchiveManifest, TableDigest } from './archive-writer.ts';

export class ArchiveFormatError extends Error {}

type State = 'normal' | 'squote' | 'dquote' | 'backtick' | 'line-comment' | 'block-comment';

/** What ends each state (or, in `normal`, starts another), searched with indexOf-like speed. */
const NEXT: Record<State, RegExp> = {
  normal: /[;'"`]|--\s|\/\*/g,
  squote: /['\\]/g,
  dquote: /["\\]/g,
  backtick: /`/g,
  'line-comment': /\n/g,
  'block-comment': /\*\//g,
};
/** Characters kept back from a chunk's end, so that no token (`--` + space, an escape) is cut in two. */
const HOLD = 2;

/** Yields statements (comments removed) from SQL text arriving in chunks. */
export async function* statements(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let state: State = 'normal';
  let current = '';
  let leftover = '';
  const iterator = chunks[Symbol.asyncIterator]();
  for (let done = false; !done; ) {
    const next = await iterator.next();
    done = next.done === true;
    const buf = leftover + (done ? '' : (next.value as string));
    const end = done ? buf.length : Math.max(0, buf.length - HOLD);
    let i = 0;
    let seg = 0;
    for (;;) {
      const re: RegExp = NEXT[state];
      re.lastIndex = i;
      const m: RegExpExecArray | null = re.exec(buf);
      if (!m || m.index >= end) break;
      const j = m.index;
      const tok: string = m[0];
      switch (state) {
        case 'normal':
          if (tok === ';') {
            current += buf.slice(seg, j);
            const stmt = current.trim();
            if (stmt) yield stmt;
            current = '';
            i = seg = j + 1;
          } else if (tok === "'" || tok === '"' || tok === '`') {
            state = tok === "'" ? 'squote' : tok === '"' ? 'dquote' : 'backtick';
            i = j + 1;
          } else {
            current += buf.slice(seg, j);
            state = tok === '/*' ? 'block-comment' : 'line-comment';
            i = j + 2;
          }
          break;
        case 'squote':
        case 'dquote':
          if (tok === '\\') i = j + 2;
          else {
            state = 'normal';
            i = j + 1;
          }
          break;
        case 'backtick':
          state = 'normal';
          i = j + 1;
          break;
        case 'line-comment':
        case 'block-comment':
          state = 'normal';
          i = seg = j + tok.length;
          break;
      }
    }
    // No token of the current state lies in [i, end): that text belongs to the state as it is.
    const stop = Math.max(i, end);
    if (state !== 'line-comment' && state !== 'block-comment') current += buf.slice(seg, stop);
    leftover = buf.slice(stop);
  }
  const last = state as State;
  if (last === 'squote' || last === 'dquote' || last === 'backtick')
    throw new ArchiveFormatError('the archive ends inside a quoted string: it is truncated');
  if (current.trim()) throw new ArchiveFormatError('the archive ends with an unterminated statement: it is truncated');
}

const IDENT = '`((?:[^`]|``)+)`';
const INSERT = new RegExp(`^INSERT\\s+INTO\\s+${IDENT}\\s*(?:\\([^)]*\\)\\s*)?VALUES\\s*`, 'i');
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${IDENT}`, 'i');
const CREATE_VIEW = new RegExp(
  `^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:ALGORITHM\\s*=\\s*\\w+\\s+)?(?:SQL\\s+SECURITY\\s+\\w+\\s+)?VIEW\\s+(?:${IDENT}\\.)?${IDENT}`,
  'i',
);
const unq = (s: string) => s.replace(/``/g, '`');

const HEX = /0[xX]([0-9A-Fa-f]*)/y;
const NUMBER = /[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?/y;

const UNESCAPE: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

/** Parses the tuples of one extended INSERT, calling `onValue` for each value and `onRow` after each row. */
export function parseTuples(text: string, onValue: (raw: Buffer | null, kind: ValueKind) => void, onRow: () => void): void {
  let i = 0;
  const fail = (what: string) => {
    throw new ArchiveFormatError(`${what} at character ${i} of an INSERT: '${text.slice(Math.max(0, i - 20), i + 20)}'`);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  for (;;) {
    ws();
    if (text[i] !== '(') fail("expected '('");
    i++;
    for (;;) {
      ws();
      const c = text[i];
      if (c === "'") {
        let out = '';
        let j = i + 1;
        for (;;) {
          const k = text.indexOf("'", j);
          const b = text.indexOf('\\', j);
          if (k < 0) fail('unterminated string');
          if (b >= 0 && b < k) {
            out += text.slice(j, b);
            const e = text[b + 1]!;
            out += UNESCAPE[e] ?? e;
            j = b + 2;
          } else if (text[k + 1] === "'") {
            out += text.slice(j, k) + "'";
            j = k + 2;
          } else {
            out += text.slice(j, k);
            j = k + 1;
            break;
          }
        }
        i = j;
        onValue(Buffer.from(out, 'utf8'), 'text');
      } else if (text.startsWith('NULL', i)) {
        i += 4;
        onValue(null, 'text');
      } else if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
        HEX.lastIndex = i;
        const m = HEX.exec(text) ?? fail('bad hex literal');
        i += m![0].length;
        onValue(Buffer.from(m![1]!, 'hex'), 'bytes');
      } else if ((c === 'X' || c === 'x') && text[i + 1] === "'") {
        const end = text.indexOf("'", i + 2);
        if (end < 0) fail('unterminated hex literal');
        onValue(Buffer.from(text.slice(i + 2, end), 'hex'), 'bytes');
        i = end + 1;
      } else {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m) fail('expected a value');
        i += m![0].length;
        onValue(Buffer.from(m![0], 'latin1'), 'number');
      }
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ')') {
        i++;
        onRow();
        break;
      }
      fail("expected ',' or ')'");
    }
    ws();
    if (i >= text.length) return;
    if (text[i] !== ',') fail("expected ',' between rows");
    i++;
  }
}

export interface ReadArchive extends ArchiveManifest {
  /** Tables with a CREATE TABLE, in file order. */
  created: string[];
}

/** Reads an archive from a stream of its (gzipped when `gzipped`) bytes. */
export async function readArchiveStream(input: Readable, schema: string, gzipped = true): Promise<ReadArchive> {
  const text = gzipped ? input.pipe(createGunzip()) : input;
  text.setEncoding('utf8');
  const digests = new Map<string, { rows: number; hash: Hash }>();
  const created: string[] = [];
  const views: string[] = [];
  for await (const s of statements(text as AsyncIterable<string>)) {
    const insert = INSERT.exec(s);
    if (insert) {
      const name = unq(insert[1]!);
      let d = digests.get(name);
      if (!d) digests.set(name, (d = { rows: 0, hash: createHash('sha256') }));
      const entry = d;
      let row = '';
      parseTuples(
        s.slice(insert[0].length),
        (raw, kind) => void (row += token(raw, kind)),
        () => {
          entry.hash.update(row + ROW_END);
          row = '';
          entry.rows++;
        },
      );
      continue;
    }
    const table = CREATE_TABLE.exec(s);
    if (table) {
      created.push(unq(table[1]!));
      continue;
    }
    const view = CREATE_VIEW.exec(s);
    if (view) views.push(unq(view[2] ?? view[1]!));
  }
  const empty = createHash('sha256').digest('hex');
  const tables: TableDigest[] = created.map((name) => {
    const d = digests.get(name);
    return { name, rows: d?.rows ?? 0, digest: d ? d.hash.digest('hex') : empty };
  });
  for (const name of digests.keys()) {
    if (!created.includes(name)) throw new ArchiveFormatError(`the archive inserts into ${name} but never creates it`);
  }
  return { schema, tables, views, created };
}

/** Reads an archive file; ours are always gzipped, also under a `.partial` name. */
export function readArchiveFile(path: string, schema: string, gzipped = true): Promise<ReadArchive> {
  return readArchiveStream(createReadStream(path), schema, gzipped);
}

/** Every difference between what was written and what was read back; empty when they agree. */
export function compareManifests(written: ArchiveManifest, read: ArchiveManifest): string[] {
  const problems: string[] = [];
  const byName = new Map(read.tables.map((t) => [t.name, t]));
  for (const t of written.tables) {
    const r = byName.get(t.name);
    if (!r) problems.push(`table ${t.name} is missing from the archive`);
    else if (r.rows !== t.rows) problems.push(`table ${t.name}: ${t.rows} rows written, ${r.rows} read back`);
    else if (r.digest !== t.digest) problems.push(`table ${t.name}: the values read back differ from those written`);
    byName.delete(t.name);
  }
  for (const name of byName.keys()) problems.push(`table ${name} is in the archive but was not written`);
  const missingViews = written.views.filter((v) => !read.views.includes(v));
  if (missingViews.length) problems.push(`views missing from the archive: ${missingViews.join(', ')}`);
  return problems;
}
