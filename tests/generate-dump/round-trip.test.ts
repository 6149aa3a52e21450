import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDump } from '../../scripts/generate-dump/generate-dump.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { quoteIdent } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { dumpWithClient, loadWithClient } from './mariadb-client.ts';

const prefix = testPrefix('genrt');
const dir = mkdtempSync(join(tmpdir(), 'gen-rt-'));

after(async () => {
  const db = await openTestDb(1);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Only the lines naming the tool, host, server and time may differ. */
const mask = (b: Buffer) =>
  b
    .toString('latin1')
    .split('\n')
    .map((l) => (/^-- (MariaDB dump|Host:|Server version|Dump completed)/.test(l) ? '-- <volatile>' : l));

test('loading the mariadb-flavoured dump and dumping it again with mariadb-dump gives the same bytes', async () => {
  const schema = `${prefix}rt`;
  const r = await generateDump(
    { out: join(dir, 'gghouse_20260205.sql'), scale: 0.002, date: '20260205', seed: 3, flavor: 'mariadb' },
    silentLogger,
  );
  const db = await openTestDb(1);
  try {
    await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  } finally {
    await db.close();
  }
  await loadWithClient(schema, r.file);
  const ours = mask(readFileSync(r.file));
  const theirs = mask(await dumpWithClient(schema));
  // Every table, its DDL (widths, defaults, keys, AUTO_INCREMENT), row order, escaping and the
  // cut of every extended INSERT: a first difference is printed with its line number.
  for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
    if (ours[i] !== theirs[i])
      assert.fail(`line ${i + 1} differs:\nours:        ${ours[i]?.slice(0, 400)}\nmariadb-dump: ${theirs[i]?.slice(0, 400)}`);
  }
});
