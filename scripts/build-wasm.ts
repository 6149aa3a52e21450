/**
 * `npm run build:wasm`: compiles actions/load/scan-values.wat into scan-values.wasm (committed, so
 * nothing is compiled at install or run time). tests/load/scan-values.test.ts checks the two agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileWat } from './wasm/compile-wat.ts';

const wat = join(import.meta.dirname, '..', 'actions', 'load', 'scan-values.wat');
const out = wat.replace(/\.wat$/, '.wasm');
const bytes = await compileWat(wat, readFileSync(wat, 'utf8'));
writeFileSync(out, bytes);
console.log(`wrote ${out} (${bytes.length} bytes)`);
