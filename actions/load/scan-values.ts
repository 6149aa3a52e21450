/**
 * The splitter's VALUES loop (scan-values.wat, compiled to the committed scan-values.wasm): an
 * extended INSERT's rows are split and checked in one pass, string contents 16 bytes at a time.
 * The list's state lives in the module's globals for the length of a call (`scanValues` sets them
 * from a ValuesState and writes them back), and the chunk is copied into the module's memory once
 * per chunk (`loadChunk`). Everything here is synchronous, so splitters never see each other's chunk.
 */
import { readFileSync } from 'node:fs';

/** Byte classes in a VALUES list; anything unusual (`+`, `e`, `0x`, spaces inside a row) is OTHER. */
const DIGIT = 0;
const QUOTE = 1;
const LPAREN = 2;
const RPAREN = 3;
const COMMA = 4;
const MINUS = 5;
const N = 6;
const OTHER = 7;
const SPACE = 8;
const DOT = 9;

/**
 * Where a row's values stand (`expect`): a value is due, a sign was read, after a value, in an
 * integer, after its dot, in the fraction.
 */
export const V_DUE = 0;

/**
 * Escapes that mean the same in an SQL string and to LOAD DATA: \0 \' \" \b \n \r \t \Z \\. Others
 * differ (\N is NULL to LOAD DATA; \% and \_ keep their backslash in SQL): such lists stay INSERTs.
 */
export const ESCAPE_SAME = new Uint8Array(256);
for (const c of '0\'"bnrtZ\\') ESCAPE_SAME[c.charCodeAt(0)] = 1;

/** Why the WebAssembly loop returned (numbers the module returns; constants keep the code erasable). */
/** The chunk ended. */
export const VSTOP_END = 0;
/** At the statement's ';'. */
export const VSTOP_SEMI = 1;
/** Something the one-pass check does not follow. */
export const VSTOP_BAIL = 2;
/** Near the chunk's end: the rest goes with the next chunk. */
export const VSTOP_NEED_MORE = 3;

/** Where a VALUES list being scanned stands, carried from one call (and chunk) to the next. */
export interface ValuesState {
  depth: number;
  expect: number;
  plain: boolean;
  closed: boolean;
  rows: number;
}

export interface ScanResult {
  /** Where the scan stopped. */
  at: number;
  stop: number;
  /** The list's first '(' when it was found in this call, else -1. */
  first: number;
  /** The last ')' of this call, else -1. */
  last: number;
  /** The chunk ended inside a string (after its backslash: `escaped`). */
  inString: boolean;
  escaped: boolean;
}

interface Exports {
  memory: WebAssembly.Memory;
  scan(i: number, n: number): number;
  depth: WebAssembly.Global;
  expect: WebAssembly.Global;
  plain: WebAssembly.Global;
  closed: WebAssembly.Global;
  rows: WebAssembly.Global;
  first: WebAssembly.Global;
  last: WebAssembly.Global;
  inString: WebAssembly.Global;
  escaped: WebAssembly.Global;
  stop: WebAssembly.Global;
}

const DATA = 1024;
const wasm = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL('./scan-values.wasm', import.meta.url))))
  .exports as unknown as Exports;
{
  const mem = new Uint8Array(wasm.memory.buffer);
  const vclass = mem.subarray(0, 256).fill(OTHER);
  for (const c of '0123456789') vclass[c.charCodeAt(0)] = DIGIT;
  for (const c of ' \t\r\n') vclass[c.charCodeAt(0)] = SPACE;
  vclass[0x2e] = DOT;
  vclass[0x27] = QUOTE;
  vclass[0x28] = LPAREN;
  vclass[0x29] = RPAREN;
  vclass[0x2c] = COMMA;
  vclass[0x2d] = MINUS;
  vclass[0x4e] = N;
  mem.set(ESCAPE_SAME, 256);
  const word = mem.subarray(512, 768);
  for (let b = 0; b < 256; b++) word[b] = /[0-9A-Za-z_$]/.test(String.fromCharCode(b)) ? 1 : 0;
}

/** Copies a chunk into the module's memory (growing it), for the `scanValues` calls that follow. */
export function loadChunk(data: Buffer): void {
  const need = DATA + data.length + 16;
  const have = wasm.memory.buffer.byteLength;
  if (need > have) wasm.memory.grow(Math.ceil((need - have) / 65536));
  new Uint8Array(wasm.memory.buffer, DATA, data.length).set(data);
}

/** Scans the loaded chunk's bytes [i, n) of a VALUES list; updates `s`. */
export function scanValues(i: number, n: number, s: ValuesState, firstWanted: boolean): ScanResult {
  wasm.depth.value = s.depth;
  wasm.expect.value = s.expect;
  wasm.plain.value = s.plain ? 1 : 0;
  wasm.closed.value = s.closed ? 1 : 0;
  wasm.rows.value = s.rows;
  wasm.first.value = firstWanted ? -1 : -2;
  wasm.last.value = -1;
  const at = wasm.scan(i, n);
  s.depth = wasm.depth.value;
  s.expect = wasm.expect.value;
  s.plain = wasm.plain.value === 1;
  s.closed = wasm.closed.value === 1;
  s.rows = wasm.rows.value;
  const first = wasm.first.value;
  return {
    at,
    stop: wasm.stop.value,
    first: first >= 0 ? first : -1,
    last: wasm.last.value,
    inString: wasm.inString.value === 1,
    escaped: wasm.escaped.value === 1,
  };
}
