import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { DumpWriter, decimal, formatCompletedOn, type DumpValue } from '../../actions/platform/dump-writer.ts';
import { dumpValue, escapeBinary, quoteString, sqlLiteral, SqlText } from '../../actions/platform/sql-literal.ts';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { collectDump as collect } from '../helpers/collect-dump.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';

const run = promisify(execFile);
const prefix = testPrefix('dumpwriter');
const schema = `${prefix}shape`;
let db: Db;

/** A tiny deterministic PRNG so the table's content is the same every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICKY = [
  '',
  ' 山田　太郎 ',
  "O'Brien",
  'a\0b',
  'line\nbreak\r\n',
  'back\\slash\\',
  'ctrl\x1aZ',
  'say "hi"',
  '　全角　',
  '絵文字😀',
  "\\'",
  '%_',
];

function mixedRows(n: number): DumpValue[][] {
  const r = prng(7);
  const rows: DumpValue[][] = [];
  for (let i = 1; i <= n; i++) {
    const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
    const bytes = Buffer.alloc(Math.floor(r() * 12));
    for (let k = 0; k < bytes.length; k++)
      bytes[k] = pick([0, 0x0a, 0x0d, 0x1a, 0x22, 0x27, 0x5c, 0x41, 0xc3, 0xa9, 0xe3, 0x81, 0x82, 0xed, 0xf0, 0xff, 0x80]);
    rows.push([
      i,
      r() < 0.1 ? null : `${pick(TRICKY)}${'名前'.repeat(Math.floor(r() * 30))}${i}`,
      pick(['0000-00-00', '2019-04-01', null, '2026-02-05']),
      `2020-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)} 0${Math.floor(r() * 9)}:3${Math.floor(r() * 9)}:00`,
      r() < 0.1 ? null : bytes,
      r() < 0.1 ? null : decimal(`${Math.floor(r() * 100000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}`),
      pick([null, 0.1, 1.5, -2.25, 1e21, 123456.789, 0]),
      pick([null, 0n, -9007199254740993n, 9223372036854775807n]),
      pick([0, 1, null]),
      r() < 0.5 ? null : 'ノート'.repeat(Math.floor(r() * 200)),
    ]);
  }
  return rows;
}

const MIXED_DDL = `CREATE TABLE \`mixed\` (
  \`id\` int(10) unsigned NOT NULL AUTO_INCREMENT COMMENT '番号',
  \`name\` varchar(400) DEFAULT NULL COMMENT '名前',
  \`d\` date DEFAULT NULL,
  \`dt\` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  \`b\` varbinary(64) DEFAULT NULL,
  \`amount\` decimal(10,2) DEFAULT NULL,
  \`f\` double DEFAULT NULL,
  \`bi\` bigint(20) DEFAULT NULL,
  \`flag\` tinyint(1) DEFAULT NULL,
  \`note\` text DEFAULT NULL,
  PRIMARY KEY (\`id\`),
  KEY \`idx_name\` (\`name\`(20))
) ENGINE=InnoDB AUTO_INCREMENT=7001 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='テスト'`;

const EMPTY_DDL = `CREATE TABLE \`nothing\` (
  \`id\` int(11) NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`;

const ROWS = mixedRows(7000);

before(async () => {
  db = await openTestDb(2);
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await db.withSession(async (s) => {
    await s.exec("SET SESSION sql_mode = ''");
    await s.exec(`USE ${quoteIdent(schema)}`);
    await s.exec(MIXED_DDL);
    await s.exec(EMPTY_DDL);
    for (let i = 0; i < ROWS.length; i += 500) {
      const part = ROWS.slice(i, i + 500).map((row) =>
        row.map((v) => (v === null ? null : typeof v === 'object' && 'text' in v ? v.text : typeof v === 'bigint' ? v.toString() : v)),
      );
      await s.exec(`INSERT INTO mixed VALUES ${part.map(() => '(?,?,?,?,?,?,?,?,?,?)').join(',')}`, part.flat());
    }
  });
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

/** The lines that name the tool, host, server version and time differ by nature. */
function maskVolatile(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^-- (MariaDB dump|MySQL dump|Host:|Server version|Dump completed)/.test(l) ? '-- <volatile>' : l))
    .join('\n');
}

test('the mariadb flavor writes byte for byte what mariadb-dump writes for the same tables', async () => {
  const u = new URL(TEST_DATABASE_URL);
  const { stdout } = await run(
    'mariadb-dump',
    [`-h${u.hostname || '127.0.0.1'}`, `-P${u.port || '3306'}`, `-u${decodeURIComponent(u.username || 'root')}`, schema],
    { encoding: 'buffer', maxBuffer: 256 << 20, env: { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) } },
  );
  const real = stdout as unknown as Buffer;
  const showCreate = async (t: string) =>
    (await db.query<Record<string, string>>(`SHOW CREATE TABLE ${quoteIdent(schema)}.${quoteIdent(t)}`))[0]!['Create Table']!;
  const mine = await collect(
    async (w) => {
      await w.begin(schema, 'x');
      await w.table('mixed', await showCreate('mixed'));
      for (const row of ROWS) if (!w.row(row)) await w.drain();
      const stats = await w.endTable();
      assert.equal(stats.rows, ROWS.length);
      assert.ok(stats.statements > 2, `expected several INSERT statements, got ${stats.statements}`);
      await w.table('nothing', await showCreate('nothing'));
      await w.endTable();
      await w.end('2026-02-05 03:04:05');
    },
    { flavor: 'mariadb', host: '127.0.0.1' },
  );
  // Compare as latin1 so binary bytes survive; diff line by line for a readable failure.
  const a = maskVolatile(mine.toString('latin1')).split('\n');
  const b = maskVolatile(real.toString('latin1')).split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) assert.fail(`line ${i + 1} differs:\nours: ${a[i]?.slice(0, 300)}\nreal: ${b[i]?.slice(0, 300)}`);
  }
});

test('mysqldump 8 cuts extended INSERTs at net_buffer_length and marks binary values', async () => {
  const netBufferLength = 200;
  const text = (
    await collect(
      async (w) => {
        await w.begin('db', '8.0.36');
        await w.table('t', 'CREATE TABLE `t` (`id` int NOT NULL, `b` blob)');
        for (let i = 0; i < 20; i++) w.row([i, Buffer.from([0, 0xed, 0x41, i])]);
        w.row([20, Buffer.alloc(0)]);
        await w.endTable();
        await w.end('2026-02-05 13:00:00');
      },
      { netBufferLength },
    )
  ).toString('latin1');
  const inserts = text.split('\n').filter((l) => l.startsWith('INSERT INTO `t` VALUES ('));
  assert.ok(inserts.length > 1);
  // mysqldump's accounting: a statement of k rows counts its text + k + 5 bytes, which stays
  // under the limit, and the next statement's first row would not have fitted.
  const rowsOf = (l: string) => l.slice('INSERT INTO `t` VALUES '.length, -1).split(/,(?=\(\d+,)/);
  inserts.forEach((l, i) => {
    const rows = rowsOf(l);
    const total = l.length - 1 + rows.length + 5;
    assert.ok(total < netBufferLength, `statement ${i} counts ${total} bytes`);
    const next = inserts[i + 1];
    if (next) assert.ok(total + rowsOf(next)[0]!.length + 2 >= netBufferLength, `statement ${i} was cut early`);
  });
  assert.match(text, /\(0,_binary '\\0\\\xedA\\0'\)/);
  assert.match(text, /\(20,''\);\n/);
  assert.match(text, /\n-- Dump completed on 2026-02-05 13:00:00\n$/);
});

test('escaping follows mysql_real_escape_string for text and binary', () => {
  assert.equal(quoteString('a\0b\n\r\x1a\\\'"c'), "'a\\0b\\n\\r\\Z\\\\\\'\\\"c'");
  // A valid 3-byte character passes; a lone lead byte is escaped; a continuation byte is not.
  assert.deepEqual(
    escapeBinary(Buffer.from([0xe3, 0x81, 0x82, 0xe3, 0x41, 0x80])),
    Buffer.from([0xe3, 0x81, 0x82, 0x5c, 0xe3, 0x41, 0x80]),
  );
  assert.equal(formatCompletedOn('2026-02-05 03:04:05'), '2026-02-05  3:04:05');
});

test('the writer waits for a slow stream and reports a failing one', async () => {
  let held: Array<() => void> = [];
  let failNext = false;
  const out = new Writable({
    highWaterMark: 16,
    write(_chunk, _enc, cb) {
      if (failNext) cb(new Error('disk full'));
      else held.push(() => cb());
    },
  });
  const releaseAll = () => {
    const h = held;
    held = [];
    h.forEach((f) => f());
  };
  const w = new DumpWriter(out, { chunkBytes: 64 });
  const begun = w.begin('db', '8.0.36');
  releaseAll();
  await begun;
  const tabled = w.table('t', 'CREATE TABLE `t` (`id` int)');
  releaseAll();
  await tabled;
  assert.equal(w.row([1, 'x'.repeat(100)]), false, 'row() asks the caller to wait when the stream is full');
  let drained = false;
  const d = w.drain().then(() => (drained = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(drained, false, 'drain() waits while the stream holds its data');
  releaseAll();
  await d;
  failNext = true;
  w.row([2, 'y'.repeat(100)]);
  await assert.rejects(
    w.endTable().then(() => w.end('2026-02-05 00:00:00')),
    /disk full/,
  );
});

test('dumpValue maps driver values by column type the way mysqldump prints them', () => {
  const lit = (t: string, v: unknown) => {
    const d = dumpValue(t, v);
    return d instanceof Uint8Array ? `bin:${Buffer.from(d).toString('hex')}` : sqlLiteral(d as Exclude<typeof d, Uint8Array>);
  };
  assert.equal(lit('decimal', '12.50'), '12.50');
  assert.equal(lit('bigint', '9223372036854775807'), '9223372036854775807');
  assert.equal(lit('int', 7), '7');
  assert.equal(lit('double', 'inf'), 'NULL');
  assert.equal(lit('date', '0000-00-00'), "'0000-00-00'");
  assert.equal(lit('varchar', "O'Brien"), "'O\\'Brien'");
  assert.equal(lit('json', { a: 1 }), `'{\\"a\\":1}'`);
  assert.equal(lit('varbinary', Buffer.from([0, 255])), 'bin:00ff');
  assert.equal(lit('text', null), 'NULL');
  assert.ok(dumpValue('decimal', '1.5') instanceof SqlText);
});
