/**
 * Bad dumps made from a good one: truncated (inside a statement, and cleanly between statements
 * but without the trailer), empty, pure garbage, garbage in the middle, a corrupt and a truncated
 * gzip, text that is not UTF-8 (Latin-1, Shift-JIS), a UTF-16 file, and statements the server
 * rejects. Each is a file the pipeline is run on; each must fail with exit 1, one clear line, and
 * the published warehouse untouched.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BadDump {
  name: string;
  file: string;
  /** What the error line should mention (a byte offset, a line, a table...), as a pattern. */
  expect: RegExp;
}

/** Deterministic pseudo-random bytes (no Math.random: the suite must be reproducible). */
export function garbageBytes(n: number, seed = 'tokyobeta'): Buffer {
  const out = Buffer.alloc(n);
  let block = Buffer.alloc(0);
  for (let i = 0, k = 0; i < n; i++) {
    if (i % 32 === 0) block = createHash('sha256').update(`${seed}:${k++}`).digest();
    out[i] = block[i % 32]!;
  }
  return out;
}

/** The byte offset of the first INSERT's middle: a cut there splits a statement. */
function middleOfAnInsert(dump: Buffer): number {
  const text = dump.toString('latin1');
  const inserts: number[] = [];
  const re = /^INSERT INTO /gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && inserts.length < 1000) inserts.push(m.index);
  if (!inserts.length) return Math.floor(dump.length / 2);
  const at = inserts[Math.floor(inserts.length / 2)]!;
  const end = text.indexOf(';\n', at);
  return at + Math.max(20, Math.floor(((end > at ? end : at + 100) - at) / 2));
}

/** The offset just after the last complete statement before the footer (a cut there loses only the trailer). */
function beforeTrailer(dump: Buffer): number {
  const text = dump.toString('latin1');
  const t = text.lastIndexOf('\n-- Dump completed');
  const footer = text.lastIndexOf('\n/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;');
  const cut = footer > 0 ? footer + 1 : t > 0 ? t + 1 : dump.length;
  return cut;
}

/** A statement spliced in before the footer. */
function withStatement(dump: Buffer, sql: string): Buffer {
  const at = beforeTrailer(dump);
  return Buffer.concat([dump.subarray(0, at), Buffer.from(`${sql}\n`, 'latin1'), dump.subarray(at)]);
}

/** First `CREATE TABLE` name of the dump: the rejected statements aim at a real table. */
export function firstTable(dump: Buffer): string {
  const m = /CREATE TABLE `([^`]+)`/.exec(dump.subarray(0, 2_000_000).toString('utf8'));
  return m ? m[1]! : 'missing_table';
}

/** The dump's first extended INSERT, to repeat it: every row a duplicate key. */
function firstInsert(dump: Buffer): string | undefined {
  const text = dump.subarray(0, 8_000_000).toString('latin1');
  const at = text.search(/^INSERT INTO `[^`]+` VALUES \(/m);
  if (at < 0) return undefined;
  const end = text.indexOf(');\n', at);
  return end > at ? text.slice(at, end + 2) : undefined;
}

export interface BadDumpSet {
  quick: BadDump[];
  all: BadDump[];
}

export function makeBadDumps(goodDump: string, dir: string, date: string): BadDumpSet {
  const good = readFileSync(goodDump);
  const table = firstTable(good);
  // One directory per bad dump, so each keeps the vendor's file name pattern.
  const file = (name: string, gz = false) =>
    join(dir, name.replace(/[^a-z0-9]+/gi, '-').toLowerCase(), `gghouse_${date}.sql${gz ? '.gz' : ''}`);
  const made: Array<BadDump & { bytes: Buffer; quick?: boolean }> = [];
  const add = (name: string, bytes: Buffer, expect: RegExp, gz = false, quick = false) =>
    made.push({ name, file: file(name, gz), bytes, expect, quick });
  const cut = middleOfAnInsert(good);
  add('truncated inside an INSERT', good.subarray(0, cut), /trunc|incomplete|Dump completed|end/i, false, true);
  add('truncated before the trailer', good.subarray(0, beforeTrailer(good)), /trunc|incomplete|Dump completed|end/i);
  add('empty file', Buffer.alloc(0), /empty|no statement|trunc|Dump completed/i, false, true);
  add('garbage bytes', garbageBytes(256 * 1024), /not a|garbage|binary|pars|syntax|trunc|dump|byte|offset/i);
  add(
    'garbage in the middle',
    Buffer.concat([good.subarray(0, cut), garbageBytes(4096, 'middle'), good.subarray(cut)]),
    /byte|offset|line|pars|syntax|table/i,
  );
  const gz = gzipSync(good);
  const corrupt = Buffer.from(gz);
  for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64 && i < gz.length; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
  add('corrupt gzip', corrupt, /gzip|corrupt|invalid|incorrect|inflat|zlib|header check/i, true, true);
  add('truncated gzip', gz.subarray(0, Math.floor(gz.length * 0.6)), /gzip|trunc|unexpected end|incomplete|Dump completed/i, true);
  // Text that is not UTF-8 in a utf8mb4 dump: the server refuses it in strict mode, or the loader does.
  add(
    'Latin-1 bytes in a string',
    withStatement(good, `INSERT INTO \`${table}\` VALUES ('caf\xe9 \xff\xfe');`),
    /string|utf|encod|charset|column|value|table/i,
  );
  add(
    'Shift-JIS bytes in a string',
    withStatement(good, `INSERT INTO \`${table}\` VALUES ('\x93\x8c\x8b\x9e');`),
    /string|utf|encod|charset|column|value|table/i,
  );
  add(
    'UTF-16 file',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good.subarray(0, 200_000).toString('latin1'), 'utf16le')]),
    /utf-?16|encod|not a|garbage|binary|pars|syntax|trunc|dump/i,
  );
  add(
    'an INSERT with the wrong number of values',
    withStatement(good, `INSERT INTO \`${table}\` VALUES (1);`),
    /column|count|value|table|line|offset/i,
    false,
    true,
  );
  add(
    'a CREATE TABLE with a syntax error',
    withStatement(good, 'CREATE TABLE `t_rel_bad` (id INT NOT NULL PRIMARY KEY,, name);'),
    /syntax|t_rel_bad|line|offset/i,
  );
  add(
    'an INSERT into a table that was never created',
    withStatement(good, 'INSERT INTO `t_rel_nowhere` VALUES (1);'),
    /t_rel_nowhere|exist|unknown|table/i,
  );
  add(
    'a duplicate primary key (an INSERT repeated)',
    withStatement(good, firstInsert(good) ?? `INSERT INTO \`${table}\` VALUES (1);`),
    /duplicate|primary|key|table|line/i,
  );
  for (const d of made) {
    mkdirSync(dirname(d.file), { recursive: true });
    writeFileSync(d.file, d.bytes);
  }
  const strip = ({ name, file: f, expect }: BadDump) => ({ name, file: f, expect });
  return { quick: made.filter((d) => d.quick).map(strip), all: made.map(strip) };
}
