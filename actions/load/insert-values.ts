/**
 * Checks the VALUES list of an INSERT over raw bytes and counts its rows. The dump is untrusted,
 * so a VALUES list may hold only literals: strings (with `_charset` introducers), numbers, hex
 * and bit literals, NULL, TRUE, FALSE, DEFAULT. No parentheses inside a row (no function calls,
 * no subqueries that could read other schemas), no variables, no identifiers in backticks.
 */

/**
 * `plain`: the list holds only single-quoted strings, plain numbers and NULL, so LOAD DATA can
 * read it as it is (see load-data.ts). `first`/`last`: offsets of the first '(' and the last ')'.
 */
export type ValuesCheck =
  | { ok: true; rows: number; plain: boolean; first: number; last: number }
  | { ok: false; reason: string; at: number };

import { ESCAPE_SAME } from './scan-values.ts';

const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LPAREN = 0x28;
const RPAREN = 0x29;

/** 0: ignorable (space, digit, comma, dot, sign); 1: needs a look. */
const CLASS = new Uint8Array(256).fill(1);
for (const c of ' \t\r\n,.+-0123456789') CLASS[c.charCodeAt(0)] = 0;

const PLAIN_NUMBER = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

const ALLOWED_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'DEFAULT']);

function isWordByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b === 0x24;
}

/** Scans `buf` from `from` (just after the VALUES keyword) to its end. */
export function checkValues(buf: Buffer, from: number): ValuesCheck {
  const n = buf.length;
  let depth = 0;
  let rows = 0;
  let i = from;
  let closedLast = false;
  let plain = true;
  let first = -1;
  let last = -1;
  // `plain` also needs each row to be `(` value (`,` value)* `)` with one literal per value:
  // expect 0: a value is due, 2: after a value.
  let expect = 0;
  while (i < n) {
    const b = buf[i]!;
    if (CLASS[b] === 0) {
      if ((b >= 0x30 && b <= 0x39) || b === 0x2e) {
        // A number: digits, dots and letters (1e5, 0x1F, 0b101) in one run. LOAD DATA reads it as
        // INSERT does only in the plain decimal form (no exponent, hex, leading zeros or bare dot).
        const start = i;
        i++;
        while (i < n && (isWordByte(buf[i]!) || buf[i] === 0x2e)) i++;
        if (expect === 2 || depth !== 1 || !PLAIN_NUMBER.test(buf.toString('latin1', start, i))) plain = false;
        expect = 2;
      } else {
        if (b === 0x2c) {
          if (depth === 0) closedLast = false;
          else if (expect !== 2) plain = false;
          expect = 0;
        } else if (b === 0x2d) {
          // A sign belongs to the number right after it, where a value is due.
          const next = buf[i + 1];
          if (expect !== 0 || next === undefined || !((next >= 0x30 && next <= 0x39) || next === 0x2e)) plain = false;
        } else if (b === 0x2b || depth === 1) plain = false; // '+', or a space inside a row
        i++;
      }
      continue;
    }
    if (b === QUOTE || b === DQUOTE) {
      if (depth !== 1) return { ok: false, reason: 'a string outside a row', at: i };
      if (b === DQUOTE || expect !== 0) plain = false;
      i = skipString(buf, i + 1, b);
      if (i < 0) return { ok: false, reason: 'an unterminated string', at: n };
      if (oddEscape) plain = false;
      expect = 2;
      continue;
    }
    if (b === LPAREN) {
      if (depth !== 0) return { ok: false, reason: 'a parenthesis inside a row (function call or subquery)', at: i };
      if (closedLast) return { ok: false, reason: 'rows not separated by commas', at: i };
      depth = 1;
      expect = 0;
      rows++;
      if (first < 0) first = i;
      i++;
      continue;
    }
    if (b === RPAREN) {
      if (depth !== 1) return { ok: false, reason: 'an unbalanced parenthesis', at: i };
      if (expect !== 2) plain = false;
      depth = 0;
      closedLast = true;
      last = i;
      i++;
      continue;
    }
    if (isWordByte(b)) {
      let k = i;
      while (k < n && isWordByte(buf[k]!)) k++;
      const word = buf.subarray(i, k).toString('latin1').toUpperCase();
      const next = buf[k];
      if (depth !== 1) return { ok: false, reason: `'${word}' outside a row`, at: i };
      if (word !== 'NULL' || expect !== 0) plain = false;
      expect = 2;
      if (word.startsWith('_')) {
        // A charset introducer must be followed by a string or hex literal: _binary '…', _utf8mb4 0x…
        let m = k;
        while (m < n && (buf[m] === 0x20 || buf[m] === 0x0a || buf[m] === 0x09 || buf[m] === 0x0d)) m++;
        const f = buf[m];
        if (f !== QUOTE && f !== DQUOTE && !(f === 0x30 || f === 0x58 || f === 0x78 || f === 0x42 || f === 0x62)) {
          return { ok: false, reason: `'${word}' is not followed by a literal`, at: i };
        }
      } else if (!ALLOWED_WORDS.has(word) && !((word === 'X' || word === 'B' || word === 'N') && next === QUOTE)) {
        return { ok: false, reason: `'${word}' is not a literal value`, at: i };
      }
      i = k;
      continue;
    }
    return { ok: false, reason: `'${String.fromCharCode(b)}' is not allowed in a VALUES list`, at: i };
  }
  if (depth !== 0) return { ok: false, reason: 'the last row is not closed', at: n };
  if (rows === 0) return { ok: false, reason: 'no rows', at: from };
  return { ok: true, rows, plain, first, last };
}

/** Set by skipString: the string held an escape LOAD DATA reads otherwise (see ESCAPE_SAME). */
let oddEscape = false;

/** Index just past the closing quote, or -1. */
function skipString(buf: Buffer, i: number, q: number): number {
  const n = buf.length;
  oddEscape = false;
  for (;;) {
    // Short strings: a plain loop beats native calls.
    const stop = Math.min(n, i + 48);
    while (i < stop) {
      const c = buf[i]!;
      if (c === q) {
        if (buf[i + 1] === q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      if (c === BACKSLASH) {
        if (ESCAPE_SAME[buf[i + 1]!] === 0) oddEscape = true;
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= n) return -1;
    const close = buf.indexOf(q, i);
    if (close < 0) return -1;
    const bs = buf.subarray(i, close).indexOf(BACKSLASH);
    if (bs >= 0) {
      if (ESCAPE_SAME[buf[i + bs + 1]!] === 0) oddEscape = true;
      i += bs + 2;
      continue;
    }
    if (buf[close + 1] === q) {
      i = close + 2;
      continue;
    }
    return close + 1;
  }
}
