/**
 * Small SQL text helpers for the classifier: resolving conditional comments the way the target
 * server would, and a tokenizer good enough to find keywords and names in DDL. Text is handled
 * as latin1 strings so that every byte of the dump survives unchanged (a dump need not be UTF-8).
 */

/** Which conditional comments the target server executes. */
export interface ServerFlavor {
  mariadb: boolean;
  /** MySQL-style version id: 1001119 → 101119 for MariaDB 10.11.19, 80036 for MySQL 8.0.36. */
  versionId: number;
}

/**
 * `/*!NNNNN …*\/` runs on MySQL >= NNNNN; `/*M!NNNNNN …*\/` only on MariaDB >= NNNNNN.
 * MariaDB also runs `/*!80016 …*\/` (its version id is larger), but those hold MySQL 8 features
 * (DEFAULT ENCRYPTION='N', GTID syntax) it lacks, so on MariaDB they are dropped.
 * https://mariadb.com/kb/en/comment-syntax/ · https://dev.mysql.com/doc/refman/8.0/en/comments.html
 */
export function resolveConditionals(sql: string, flavor: ServerFlavor): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  let from = 0;
  let inCond = false;
  let keep = true;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 0x27 || c === 0x22 || c === 0x60) {
      i = skipQuoted(sql, i);
      continue;
    }
    if (!inCond && c === 0x2f && sql[i + 1] === '*' && (sql[i + 2] === '!' || (sql[i + 2] === 'M' && sql[i + 3] === '!'))) {
      const maria = sql[i + 2] === 'M';
      let k = i + (maria ? 4 : 3);
      const vStart = k;
      while (k < n && sql.charCodeAt(k) >= 0x30 && sql.charCodeAt(k) <= 0x39) k++;
      const version = k > vStart ? Number(sql.slice(vStart, k)) : 0;
      out += sql.slice(from, i) + ' ';
      if (maria) keep = flavor.mariadb && version <= flavor.versionId;
      else keep = flavor.mariadb ? version < 80000 : version <= flavor.versionId;
      inCond = true;
      i = k;
      from = k;
      continue;
    }
    if (inCond && c === 0x2a && sql[i + 1] === '/') {
      if (keep) out += sql.slice(from, i);
      out += ' ';
      inCond = false;
      i += 2;
      from = i;
      continue;
    }
    i++;
  }
  if (!inCond || keep) out += sql.slice(from);
  return out;
}

/** Index just past a quoted string or identifier starting at i (backslash escapes in strings). */
export function skipQuoted(sql: string, i: number): number {
  const q = sql[i];
  let k = i + 1;
  while (k < sql.length) {
    const ch = sql[k];
    if (ch === '\\' && q !== '`') k += 2;
    else if (ch === q) {
      if (sql[k + 1] === q) k += 2;
      else return k + 1;
    } else k++;
  }
  return k;
}

export type TokenType = 'word' | 'ident' | 'string' | 'number' | 'var' | 'punct';

export interface Token {
  type: TokenType;
  /** Source text (for ident: the name without backticks; for word: upper-cased). */
  value: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '`') {
      i = skipQuoted(sql, i);
      tokens.push({ type: 'ident', value: sql.slice(start + 1, i - 1).replace(/``/g, '`'), start, end: i });
    } else if (ch === "'" || ch === '"') {
      i = skipQuoted(sql, i);
      tokens.push({ type: 'string', value: sql.slice(start, i), start, end: i });
    } else if (ch === '@') {
      i++;
      if (sql[i] === '@') i++;
      if (sql[i] === '`' || sql[i] === "'" || sql[i] === '"') i = skipQuoted(sql, i);
      while (i < n && (WORD.test(sql[i]!) || sql[i] === '.')) i++;
      tokens.push({ type: 'var', value: sql.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(ch)) {
      while (i < n && WORD.test(sql[i]!)) i++;
      if (sql[i] === '.' && /[0-9]/.test(sql[i + 1] ?? '')) {
        i++;
        while (i < n && WORD.test(sql[i]!)) i++;
      }
      const text = sql.slice(start, i);
      tokens.push({
        type: /^[0-9]+$|^0x|^[0-9.]+e/i.test(text) || /^[0-9.]+$/.test(text) ? 'number' : 'word',
        value: text.toUpperCase(),
        start,
        end: i,
      });
    } else if (WORD.test(ch)) {
      while (i < n && WORD.test(sql[i]!)) i++;
      tokens.push({ type: 'word', value: sql.slice(start, i).toUpperCase(), start, end: i });
    } else {
      i++;
      tokens.push({ type: 'punct', value: ch, start, end: i });
    }
  }
  return tokens;
}

/** The name a word or identifier token spells (words keep their original case). */
export function nameOf(sql: string, t: Token): string {
  return t.type === 'ident' ? t.value : sql.slice(t.start, t.end);
}

export function isName(t: Token | undefined): t is Token {
  return t !== undefined && (t.type === 'ident' || t.type === 'word');
}

/**
 * A possibly qualified name at tokens[i]: `a` or `a`.`b`; returns the parts and the next index.
 * The parts are raw (the dump's bytes): decode them with dump-charset.ts where they leave the text.
 */
export function readQualifiedName(sql: string, tokens: Token[], i: number): QualifiedName | undefined {
  const a = tokens[i];
  if (!isName(a)) return undefined;
  if (tokens[i + 1]?.value === '.' && isName(tokens[i + 2])) {
    const b = tokens[i + 2]!;
    return { schema: nameOf(sql, a), name: nameOf(sql, b), start: a.start, nameStart: b.start, end: b.end, next: i + 3 };
  }
  return { name: nameOf(sql, a), start: a.start, nameStart: a.start, end: a.end, next: i + 1 };
}

/** A name as the dump spells it (raw bytes as latin1 characters), with where it is in the text. */
export interface QualifiedName {
  schema?: string;
  name: string;
  /** Where the whole `schema`.`name` starts, and where `name` starts (equal when unqualified). */
  start: number;
  nameStart: number;
  end: number;
  /** The token after it. */
  next: number;
}

/** Replaces [start, end) ranges of `sql` (non-overlapping) with texts. */
export function applyEdits(sql: string, edits: Array<{ start: number; end: number; text: string }>): string {
  const sorted = [...edits].sort((x, y) => x.start - y.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += sql.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + sql.slice(at);
}

/** A short, printable excerpt of a statement for reports (first line, at most 120 characters). */
export function excerpt(sql: string | Buffer): string {
  const text = typeof sql === 'string' ? sql : sql.subarray(0, 400).toString('utf8');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
