/**
 * Parse-only over a plain file reads into one reused buffer (parse-dump.ts): statements that span
 * its 4 MB reads must come out exactly as from fresh buffers (the gzip path), including lists the
 * splitter could not check in its fused pass and statements it refuses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { silentLogger } from '../../actions/platform/log.ts';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { parseDump } from '../../actions/load/parse-dump.ts';

const dir = mkdtempSync(join(tmpdir(), 'load-parse-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function bigDump(): Buffer {
  const parts: string[] = ['/*!40101 SET NAMES utf8mb4 */;\n'];
  for (const t of ['a', 'b', 'c']) {
    parts.push(`CREATE TABLE \`${t}\` (\`id\` int, \`s\` text, \`n\` double) ENGINE=InnoDB;\n`);
    for (let st = 0; st < 6; st++) {
      const rows: string[] = [];
      for (let r = 0; r < 12000; r++) {
        const id = st * 12000 + r;
        // Strings with escapes, quotes, semicolons and parentheses; a few values the fused pass leaves to checkValues.
        const s = r % 7 === 0 ? `'it\\'s; (x) ${'z'.repeat(r % 90)}'` : `'row ${id} ''q'' -- not a comment, padding padding'`;
        const n = t === 'b' && st === 3 && r === 4000 ? '1e5' : r % 5 === 0 ? 'NULL' : `-${r}.5`;
        rows.push(`(${id},${s},${n})`);
      }
      parts.push(`INSERT INTO \`${t}\` VALUES ${rows.join(',\n')};\n`);
    }
  }
  parts.push('INSERT INTO `a` VALUES (1,(SELECT 1),2);\n');
  parts.push('-- Dump completed on 2026-02-05\n');
  return Buffer.from(parts.join(''), 'utf8');
}

test('parse-only of a plain file (reused read buffer) equals the gzip path, across 4 MB reads', async () => {
  const dump = bigDump();
  assert.ok(dump.length > 2 * (4 << 20), 'spans several 4 MB reads');
  const plain = join(dir, 'big.sql');
  const gz = join(dir, 'big.sql.gz');
  writeFileSync(plain, dump);
  writeFileSync(gz, gzipSync(dump, { level: 1 }));
  const a = await parseDump(await resolveDumpSource(plain), {}, silentLogger);
  const b = await parseDump(await resolveDumpSource(gz), {}, silentLogger);
  assert.deepEqual(a.tables, [
    { table: 'a', rows: 72000, bytes: a.tables[0]!.bytes },
    { table: 'b', rows: 72000, bytes: a.tables[1]!.bytes },
    { table: 'c', rows: 72000, bytes: a.tables[2]!.bytes },
  ]);
  assert.equal(a.bytes, dump.length);
  assert.equal(a.refused.length, 1);
  assert.match(a.refused[0]!.reason, /a parenthesis inside a row/);
  assert.ok(a.complete);
  const strip = (r: typeof a) => ({ ...r, seconds: 0, source: '' });
  assert.deepEqual(strip(a), strip(b));
});
