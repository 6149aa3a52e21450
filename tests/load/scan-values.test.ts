/**
 * The WebAssembly VALUES loop: the committed scan-values.wasm is the build of scan-values.wat, and
 * the splitter's one-pass result (rows, plain, where the rows start and end) equals checkValues',
 * the slow path, on random lists cut into random chunks (strings across chunks and across the
 * 16-byte SIMD steps, escapes at chunk ends).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DumpSplitter } from '../../actions/load/dump-splitter.ts';
import { checkValues } from '../../actions/load/insert-values.ts';
import { compileWat } from '../../scripts/wasm/compile-wat.ts';

const dir = join(import.meta.dirname, '..', '..', 'actions', 'load');

test('the committed scan-values.wasm is the build of scan-values.wat (npm run build:wasm)', async () => {
  const built = await compileWat('scan-values.wat', readFileSync(join(dir, 'scan-values.wat'), 'utf8'));
  assert.ok(built.equals(readFileSync(join(dir, 'scan-values.wasm'))), 'run `npm run build:wasm` and commit scan-values.wasm');
});

/** A deterministic pseudo-random generator (tests must not flake). */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

function value(r: () => number): string {
  const k = r();
  if (k < 0.1) return 'NULL';
  if (k < 0.3) return String(Math.floor(r() * 100000) - 50000);
  if (k < 0.4) return `${Math.floor(r() * 1000)}.${Math.floor(r() * 100)}`;
  if (k < 0.402) return ['007', '1e5', '.5', '1-2', "'a' 'b'", "'\\N'", "'\\%'", '1.'][Math.floor(r() * 8)]!;
  const len = Math.floor(r() * (r() < 0.2 ? 200 : 30));
  let s = '';
  for (let i = 0; i < len; i++) {
    const c = r();
    s +=
      c < 0.05
        ? ['\\\\', "\\'", '\\n', '\\0', '\\"', '\\Z'][Math.floor(r() * 6)]
        : c < 0.07
          ? '日本'
          : String.fromCharCode(0x20 + Math.floor(r() * 90)).replace(/['\\]/, 'x');
  }
  return `'${s}'`;
}

test('the one-pass check agrees with checkValues on random lists in random chunks', () => {
  const r = random(20260205);
  for (let round = 0; round < 300; round++) {
    const rows = Array.from(
      { length: 1 + Math.floor(r() * 30) },
      () => `(${Array.from({ length: 1 + Math.floor(r() * 6) }, () => value(r)).join(',')})`,
    );
    const sql = Buffer.from(`INSERT INTO \`t\` VALUES ${rows.join(r() < 0.5 ? ',' : ',\n')};\n-- Dump completed\n`, 'utf8');
    const stmtSql = sql.subarray(0, sql.indexOf(';\n'));
    const slow = checkValues(stmtSql, stmtSql.indexOf('VALUES') + 6);
    assert.ok(slow.ok);
    const splitter = new DumpSplitter();
    const out = [];
    for (let at = 0; at < sql.length; ) {
      const size = 1 + Math.floor(r() * (r() < 0.5 ? 40 : 4000));
      out.push(...splitter.push(sql.subarray(at, at + size)));
      at += size;
    }
    out.push(...splitter.end());
    const fused = out[0]!.values;
    if (fused === undefined) continue; // left to checkValues: allowed (tiny chunks, odd lists)
    assert.equal(fused.rows, slow.rows, `rows of ${stmtSql}`);
    if (fused.plain) {
      assert.equal(slow.plain, true, `plain to the one-pass check only: ${stmtSql}`);
      assert.equal(fused.first, slow.first);
      assert.equal(fused.last, slow.last);
    }
  }
});
