import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateDump, type GenerateDumpOptions } from '../../scripts/generate-dump/generate-dump.ts';
import { createMemoryLogger, silentLogger } from '../../actions/platform/log.ts';

const dir = mkdtempSync(join(tmpdir(), 'gen-det-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function generate(o: Partial<GenerateDumpOptions> & { ext?: string }): Promise<Buffer> {
  const out = join(dir, `d${n++}.sql${o.ext ?? ''}`);
  await generateDump({ out, scale: 0.002, date: '20260205', seed: 1, ...o }, silentLogger);
  return readFileSync(out);
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('the same seed, scale and date give byte-identical dumps', async () => {
  const a = await generate({});
  const b = await generate({});
  assert.equal(sha(a), sha(b));
  assert.match(a.toString('utf8'), /\n-- Dump completed on 2026-02-05 23:\d\d:\d\d\n$/);
});

test('a different seed, scale or date gives a different dump', async () => {
  const base = sha(await generate({}));
  assert.notEqual(sha(await generate({ seed: 2 })), base);
  assert.notEqual(sha(await generate({ scale: 0.0025 })), base);
  const other = await generate({ date: '20250610' });
  assert.notEqual(sha(other), base);
  assert.match(other.toString('utf8'), /-- Dump completed on 2025-06-10 /);
});

test('a .gz name gives the same dump gzip-compressed', async () => {
  const plain = await generate({});
  const gz = await generate({ ext: '.gz' });
  assert.equal(gz[0], 0x1f);
  assert.equal(gz[1], 0x8b);
  assert.ok(gz.length < plain.length / 3);
  assert.equal(sha(gunzipSync(gz)), sha(plain));
});

test('the engine reports per-table rows and bytes that add up to the file', async () => {
  const out = join(dir, 'counted.sql');
  const log = createMemoryLogger();
  const r = await generateDump({ out, scale: 0.002, date: '20260205', seed: 1 }, log);
  const file = readFileSync(out);
  assert.equal(r.bytes, file.length);
  assert.equal(r.fileBytes, file.length);
  const tableBytes = r.tables.reduce((s, t) => s + t.bytes, 0);
  assert.ok(tableBytes < r.bytes && tableBytes > r.bytes * 0.99, 'tables carry all but the header and trailer');
  const text = file.toString('utf8');
  for (const t of r.tables) {
    const inserts = text.split(`INSERT INTO \`${t.table}\` VALUES `).length - 1;
    assert.equal(inserts, t.statements, t.table);
    if (t.rows === 0) assert.equal(inserts, 0);
  }
  assert.ok(
    log.lines.some((l) => l.startsWith('✔ write 81 tables')),
    log.lines.join('\n'),
  );
});

test('worker threads build the same bytes as the main thread alone', async () => {
  // 0.02 gives tables of several segments (8,192 rows each), so segments really go to workers.
  const alone = await generate({ scale: 0.02, workers: 0 });
  const parallel = await generate({ scale: 0.02, workers: 2 });
  assert.equal(sha(parallel), sha(alone));
});
