import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAll } from '../../actions/load/dump-splitter.ts';

/** Splits with every chunk size from 1 byte up, so chunk boundaries fall everywhere. */
function split(text: string | Buffer): string[] {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const whole = splitAll(buf, buf.length + 1).statements.map((s) => s.sql.toString('latin1'));
  for (const size of [1, 2, 3, 5, 7, 16, 17, 64]) {
    const parts = splitAll(buf, size).statements.map((s) => s.sql.toString('latin1'));
    assert.deepEqual(parts, whole, `chunk size ${size}`);
  }
  return whole.map((s) => Buffer.from(s, 'latin1').toString('utf8'));
}

test('splits on semicolons outside strings, identifiers and comments', () => {
  assert.deepEqual(split('INSERT INTO t VALUES (\'a;b\'),("c;d");\nCREATE TABLE `x;y` (a int);\n'), [
    'INSERT INTO t VALUES (\'a;b\'),("c;d")',
    'CREATE TABLE `x;y` (a int)',
  ]);
});

test('backslash escapes and doubled quotes do not end a string', () => {
  const sql = "INSERT INTO t VALUES ('it\\'s; here','a''b;c','back\\\\','\\\\'),('x');SELECT 2;";
  assert.deepEqual(split(sql), ["INSERT INTO t VALUES ('it\\'s; here','a''b;c','back\\\\','\\\\'),('x')", 'SELECT 2']);
});

test('strings may hold newlines, comment markers and the word DELIMITER', () => {
  const sql = "INSERT INTO t VALUES ('line1\nline2 -- not a comment /* nor this */ # nor this\nDELIMITER ;;');\nSELECT 1;";
  const out = split(sql);
  assert.equal(out.length, 2);
  assert.match(out[0]!, /DELIMITER ;;'\)$/);
});

test('plain comments of all three kinds are removed; conditional comments are kept', () => {
  const sql =
    '-- header\n# hash comment\n/* block; comment */\n/*!40101 SET NAMES utf8mb4 */;\nSELECT 1 /* inline; */ + 2 -- tail;\n;\n/*M!100616 SET x=1 */;';
  assert.deepEqual(split(sql), ['/*!40101 SET NAMES utf8mb4 */', 'SELECT 1   + 2', '/*M!100616 SET x=1 */']);
});

test('"--" without a space is not a comment (1--1 is arithmetic)', () => {
  assert.deepEqual(split('SELECT 1--1;'), ['SELECT 1--1']);
});

test("MariaDB's sandbox header is dropped like a comment", () => {
  assert.deepEqual(split('/*M!999999\\- enable the sandbox mode */\n-- MariaDB dump\n/*!40101 SET NAMES utf8mb4 */;'), [
    '/*!40101 SET NAMES utf8mb4 */',
  ]);
});

test('DELIMITER changes for triggers and routines, bodies keep their semicolons', () => {
  const sql = [
    'DELIMITER ;;',
    '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN',
    '  INSERT INTO u VALUES (NEW.id); -- a comment; inside',
    'END */;;',
    'delimiter $$',
    'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END$$',
    'DELIMITER ;',
    'SELECT 3;',
  ].join('\n');
  const out = split(sql);
  assert.equal(out.length, 3);
  assert.match(out[0]!, /^\/\*!50003 CREATE\*\/.*BEGIN\n {2}INSERT INTO u VALUES \(NEW\.id\); \n?END \*\/$/s);
  assert.equal(out[1], 'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END');
  assert.equal(out[2], 'SELECT 3');
});

test('binary bytes (not UTF-8) pass through unchanged', () => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0x27 && b !== 0x5c));
  const buf = Buffer.concat([Buffer.from("INSERT INTO t VALUES (_binary '"), all, Buffer.from("');\n")]);
  const [s] = splitAll(buf, 5).statements;
  assert.deepEqual(s!.sql, buf.subarray(0, buf.length - 2));
});

test('reports the byte offset and line of each statement, with CRLF line ends', () => {
  const text = "-- c\r\nSELECT 1;\r\n\r\nINSERT INTO t VALUES ('a\r\nb');\r\n  SELECT 3";
  const { statements } = splitAll(Buffer.from(text), 3);
  assert.deepEqual(
    statements.map((s) => [s.line, s.offset]),
    [
      [2, 6],
      [4, 19],
      [6, 53],
    ],
  );
  assert.equal(statements[2]!.terminated, false);
});

test('multi-megabyte statements are joined from many chunks', () => {
  const big = "INSERT INTO t VALUES ('" + 'x'.repeat(5_000_000) + "');";
  const { statements } = splitAll(Buffer.from(big + 'SELECT 1;'), 65536);
  assert.equal(statements.length, 2);
  assert.equal(statements[0]!.sql.length, big.length - 1);
});

test('the trailer is seen only when it is the last thing in the dump', () => {
  assert.equal(splitAll('SELECT 1;\n-- Dump completed on 2026-02-05  1:00:00\n').stats.trailer, true);
  assert.equal(splitAll('SELECT 1;\n-- Dump completed').stats.trailer, true);
  assert.equal(splitAll('SELECT 1;\n-- Dump completed\nSELECT 2;').stats.trailer, false);
  assert.equal(splitAll("SELECT 1;\nINSERT INTO t VALUES ('-- Dump completed\n").stats.trailer, false);
});

test('an unterminated block comment or string keeps the rest out of the statement list', () => {
  assert.deepEqual(split('SELECT 1;\n/* never closed; SELECT 2;'), ['SELECT 1']);
  const r = splitAll("SELECT 1;\nINSERT INTO t VALUES ('open; SELECT 2;");
  assert.equal(r.statements.length, 2);
  assert.equal(r.statements[1]!.terminated, false);
});
