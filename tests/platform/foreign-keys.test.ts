/**
 * A partial swap keeps the vendor's foreign keys inside the published schema: the loader keeps
 * unchanged tables and swaps in changed ones, and RENAME TABLE would otherwise leave a kept child
 * pointing at its parent in the `…__old` schema (whose drop then fails) and a new child pointing
 * at its unchanged parent's name in the shadow (actions/platform/foreign-keys.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Db } from '../../actions/platform/db.ts';
import { renameStatement } from '../../actions/platform/relations.ts';
import { prepareSwap } from '../../actions/platform/shadow-swap.ts';
import { dropSchemasWithPrefix, openTestDb, schemasWithPrefix, testPrefix } from '../helpers/db.ts';
import { loadFile } from '../load/helpers.ts';

const prefix = testPrefix('fkswap');
const meta = `${prefix}meta`;
const target = `${prefix}staging`;
let db: Db;
let dir: string;

before(async () => {
  db = await openTestDb();
  dir = mkdtempSync(join(tmpdir(), 'fk-swap-'));
});
after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** apartments ← rooms ← movings, as the vendor's dump declares them; `tag` changes a table's rows. */
function dump(tags: { apartments?: string; rooms?: string; movings?: string }): string {
  const table = (name: string, columns: string, fk: string, rows: string[]) =>
    `DROP TABLE IF EXISTS \`${name}\`;\nCREATE TABLE \`${name}\` (\n  \`id\` int NOT NULL,\n${columns}  PRIMARY KEY (\`id\`)${fk}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n` +
    `LOCK TABLES \`${name}\` WRITE;\nINSERT INTO \`${name}\` VALUES ${rows.join(',')};\nUNLOCK TABLES;\n`;
  const ids = [1, 2, 3];
  return [
    '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n',
    '/*!40101 SET NAMES utf8mb4 */;\n/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n',
    table(
      'apartments',
      '  `name` varchar(20) NOT NULL,\n',
      '',
      ids.map((i) => `(${i},'a${i}${tags.apartments ?? ''}')`),
    ),
    table(
      'movings',
      '  `room_id` int NOT NULL,\n  `note` varchar(20) DEFAULT NULL,\n',
      ',\n  KEY `idx_movings_room` (`room_id`),\n  CONSTRAINT `fk_movings_room` FOREIGN KEY (`room_id`) REFERENCES `rooms` (`id`)',
      ids.map((i) => `(${i},${i},'m${i}${tags.movings ?? ''}')`),
    ),
    table(
      'rooms',
      '  `apartment_id` int NOT NULL,\n  `rent` int NOT NULL,\n',
      ',\n  KEY `idx_rooms_apartment` (`apartment_id`),\n  CONSTRAINT `fk_rooms_apartment` FOREIGN KEY (`apartment_id`) REFERENCES `apartments` (`id`) ON DELETE CASCADE',
      ids.map((i) => `(${i},${i},${50000 + i}${tags.rooms ?? ''})`),
    ),
    '/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n\n-- Dump completed on 2026-02-05  1:00:00\n',
  ].join('\n');
}

const foreignKeys = async () =>
  (
    await db.query<{ k: string }>(
      `SELECT CONCAT(TABLE_NAME, '.', CONSTRAINT_NAME, ' -> ', UNIQUE_CONSTRAINT_SCHEMA, '.', REFERENCED_TABLE_NAME, ' ', DELETE_RULE) AS k
         FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1`,
      [target],
    )
  ).map((r) => r.k);

const EXPECTED = [`movings.fk_movings_room -> ${target}.rooms RESTRICT`, `rooms.fk_rooms_apartment -> ${target}.apartments CASCADE`];

test('a changed table between unchanged parent and child: every key still points inside the published schema', async () => {
  const load = async (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return loadFile(db, file, target, { metaSchema: meta });
  };
  await load('day1.sql', dump({}));
  assert.deepEqual(await foreignKeys(), EXPECTED);
  // Day 2: a rent changes; apartments (the parent) and movings (the child) are byte-identical.
  const day2 = await load('day2.sql', dump({ rooms: '0' }));
  assert.deepEqual(day2.tables.map((t) => `${t.table}:${t.status}`).sort(), ['apartments:unchanged', 'movings:unchanged', 'rooms:loaded']);
  assert.deepEqual(await foreignKeys(), EXPECTED);
  assert.deepEqual(await schemasWithPrefix(db, target), [target], 'the old and shadow schemas are gone');
  // Day 3: the parent and the child change, the table between them does not.
  const day3 = await load('day3.sql', dump({ rooms: '0', apartments: 'x', movings: 'y' }));
  assert.deepEqual(day3.tables.map((t) => `${t.table}:${t.status}`).sort(), ['apartments:loaded', 'movings:loaded', 'rooms:unchanged']);
  assert.deepEqual(await foreignKeys(), EXPECTED);
  assert.deepEqual(await schemasWithPrefix(db, target), [target]);
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM \`${target}\`.movings m JOIN \`${target}\`.rooms r ON r.id = m.room_id JOIN \`${target}\`.apartments a ON a.id = r.apartment_id`,
  );
  assert.equal(Number(n), 3);
});

test('a run killed between its RENAME and the keys put back: the next load cleans up and succeeds', async () => {
  const load = async (name: string, text: string, publish = true) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return loadFile(db, file, target, { metaSchema: meta, publish });
  };
  await load('kill1.sql', dump({ rooms: '1' }));
  // The RENAME of a partial swap, and no finishSwap (the process died): movings' key follows the
  // replaced rooms into the old schema, which is left behind with it.
  const staged = await load('kill2.sql', dump({ rooms: '2' }), false);
  await db.exec(renameStatement(await prepareSwap(db, staged.plan))!);
  assert.ok(
    (await foreignKeys()).some((k) => k.includes('__old')),
    'the kill left a key pointing into the old schema',
  );
  const next = await load('kill3.sql', dump({ rooms: '3' }));
  assert.equal(next.published, true);
  assert.deepEqual(await foreignKeys(), EXPECTED);
  assert.deepEqual(await schemasWithPrefix(db, target), [target]);
});
