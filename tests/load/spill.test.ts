/**
 * The parser reads ahead of the server: beyond the memory budget, queued batches wait on disk
 * (a plain local dump's own bytes are read back from it; gzip and S3 bytes go to a temporary
 * file). Whatever waited where, the load holds what a plain load holds.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { checksums, loadFile, makeDump } from './helpers.ts';

const prefix = testPrefix('loadspill');
let db: Db;
let dir: string;
const dump = makeDump({ tables: ['big', 'small_a', 'small_b'], rows: 3000 });

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'load-spill-'));
  writeFileSync(join(dir, 'plain.sql'), dump);
  writeFileSync(join(dir, 'packed.sql.gz'), gzipSync(dump));
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

// Only this process's directories: other loads on the machine (parallel test files, other
// checkouts) make and remove their own at any time.
const spillDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`pipeline-spill-${process.pid}-`)).length;

test('with no memory budget, a plain dump is read back in place and a gzip dump spills to a temporary file', async () => {
  const reference = await loadFile(db, join(dir, 'plain.sql'), `${prefix}ref`, { metaSchema: `${prefix}meta` });
  assert.equal(
    reference.tables.reduce((a, t) => a + t.rows, 0),
    9000,
  );
  const dirsBefore = spillDirs();
  const inPlace = await loadFile(db, join(dir, 'plain.sql'), `${prefix}inplace`, { metaSchema: `${prefix}meta`, maxQueuedBytes: 0 });
  assert.equal(inPlace.spilledBytes, 0, 'nothing copied: the dump file itself is read back');
  const packed = await loadFile(db, join(dir, 'packed.sql.gz'), `${prefix}packed`, { metaSchema: `${prefix}meta`, maxQueuedBytes: 0 });
  assert.ok(packed.spilledBytes! > dump.length / 2, `the gzip dump's batches waited in a temporary file (${packed.spilledBytes} bytes)`);
  assert.ok(spillDirs() <= dirsBefore, 'the temporary files are removed');
  const expected = await checksums(db, `${prefix}ref`);
  assert.deepEqual(await checksums(db, `${prefix}inplace`), expected);
  assert.deepEqual(await checksums(db, `${prefix}packed`), expected);
});

test('a changed table of a reload goes through the spool and loads as LOAD DATA, in place or from the temporary file', async () => {
  for (const [name, file] of [
    ['plain', 'plain2.sql'],
    ['packed', 'packed2.sql.gz'],
  ] as const) {
    const target = `${prefix}re_${name}`;
    const meta = `${prefix}meta_${name}`;
    await loadFile(db, join(dir, name === 'plain' ? 'plain.sql' : 'packed.sql.gz'), target, { metaSchema: meta });
    const changed = makeDump({ tables: ['big', 'small_a', 'small_b'], rows: 3000, tag: ' v2' });
    writeFileSync(join(dir, file), name === 'plain' ? changed : gzipSync(changed));
    const r = await loadFile(db, join(dir, file), target, { metaSchema: meta, maxQueuedBytes: 0 });
    assert.deepEqual(
      r.tables.map((t) => t.status),
      ['loaded', 'loaded', 'loaded'],
    );
    // One LOAD DATA per table: its 6 batches of rows streamed from the dump or the temporary file.
    assert.deepEqual(r.batches, { loadData: 3, insert: 0 }, `batches went as LOAD DATA (${JSON.stringify(r.batches)})`);
    const [{ n }] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM \`${target}\`.big WHERE name LIKE '% v2'`);
    assert.equal(Number(n), 3000);
  }
});

test("the next load removes a killed loader's temporary directory, and leaves a running one's", async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
  const killed = join(tmpdir(), `pipeline-spill-${dead}-test`);
  const running = join(tmpdir(), `pipeline-spill-${process.pid}-test`);
  mkdirSync(killed, { recursive: true });
  writeFileSync(join(killed, 'queue.bin'), 'left by a SIGKILL');
  mkdirSync(running, { recursive: true });
  try {
    await loadFile(db, join(dir, 'plain.sql'), `${prefix}stale`, { metaSchema: `${prefix}meta` });
    assert.equal(existsSync(killed), false, "the dead process's directory is removed");
    assert.equal(existsSync(running), true, "a live process's directory stays");
  } finally {
    rmSync(killed, { recursive: true, force: true });
    rmSync(running, { recursive: true, force: true });
  }
});
