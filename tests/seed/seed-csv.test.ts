import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Problem } from '../../actions/platform/errors.ts';
import { parseSeedCsv } from '../../actions/seed/seed-csv.ts';
import { seedColumns, toSqlValue } from '../../actions/seed/seed-types.ts';

function parse(text: string | Buffer, delimiter = ',') {
  const problems: Problem[] = [];
  const table = parseSeedCsv(text, 'seeds/x.csv', delimiter, problems);
  return { table, problems };
}

test('CRLF line ends, a byte-order mark and quoted fields with delimiters, quotes and line breaks are read', () => {
  const { table, problems } = parse(Buffer.from('\ufeffcode,name\r\n1,"Tanaka, ""Aiko"""\r\n2,"two\r\nlines"\r\n3,plain\r\n'));
  assert.deepEqual(problems, []);
  assert.deepEqual(table!.header, ['code', 'name']);
  assert.deepEqual(table!.rows, [
    ['1', 'Tanaka, "Aiko"'],
    ['2', 'two\r\nlines'],
    ['3', 'plain'],
  ]);
  assert.deepEqual(table!.lines, [2, 3, 5], 'the line each row starts on');
});

test('a configured delimiter is used', () => {
  const { table } = parse('a;b\n1;"x;y"\n', ';');
  assert.deepEqual(table!.rows, [['1', 'x;y']]);
});

test('a row longer than the header names the file and line; a shorter one is padded with NULL, as in dbt', () => {
  const { table, problems } = parse('code,name\n1,a\n2,b,extra\n3\n');
  assert.equal(table, undefined);
  assert.deepEqual(
    problems.map((p) => p.location),
    [{ file: 'seeds/x.csv', line: 3 }],
  );
  assert.match(problems[0]!.message, /row has 3 fields but the header has 2 \(code, name\)/);
  assert.deepEqual(parse('code,name\n1,a\n3\n').table?.rows, [
    ['1', 'a'],
    ['3', ''],
  ]);
});

test('an unclosed quote and a bad header are problems', () => {
  assert.match(parse('a,b\n1,"open\n').problems[0]!.message, /cannot parse the CSV: Quote Not Closed/);
  assert.match(parse('a,a b\n1,2\n').problems[0]!.message, /header column 2 'a b' is not a valid column name/);
});

test('types are inferred: integer, decimal, date, datetime, boolean, text; empty is NULL', () => {
  const { table } = parse(
    [
      'i,d,dt,ts,b,t,z,e',
      '1,1.5,2026-02-05,2026-02-05 10:00:00,true,abc,007,',
      '-20,12.25,2026-12-31,2026-02-05T23:59:59,False,x,010,',
      ',,,,,,,',
    ].join('\n'),
  );
  const problems: Problem[] = [];
  const cols = seedColumns(table!, {}, 'seeds/x.csv', problems);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    cols.map((c) => [c.name, c.sqlType]),
    [
      ['i', 'BIGINT'],
      ['d', 'DECIMAL(4,2)'],
      ['dt', 'DATE'],
      ['ts', 'DATETIME'],
      ['b', 'BOOLEAN'],
      ['t', 'VARCHAR(255)'],
      ['z', 'VARCHAR(255)'],
      ['e', 'VARCHAR(255)'],
    ],
  );
  assert.equal(toSqlValue(cols[4]!, 'False'), 0);
  assert.equal(toSqlValue(cols[3]!, '2026-02-05T23:59:59'), '2026-02-05 23:59:59');
  assert.equal(toSqlValue(cols[0]!, ''), null);
});

test('column_types win over inference, and a value that does not fit names file, line and column', () => {
  const { table } = parse('code,name,since\n1,ok,2026-01-01\nx2,this name is too long,2026-02-30\n');
  const problems: Problem[] = [];
  const cols = seedColumns(table!, { code: 'INT', name: 'VARCHAR(5)', since: 'DATE' }, 'seeds/x.csv', problems);
  assert.deepEqual(
    cols.map((c) => c.sqlType),
    ['INT', 'VARCHAR(5)', 'DATE'],
  );
  assert.deepEqual(
    problems.map((p) => p.location),
    [
      { file: 'seeds/x.csv', line: 3, column: 1 },
      { file: 'seeds/x.csv', line: 3, column: 2 },
      { file: 'seeds/x.csv', line: 3, column: 3 },
    ],
  );
  assert.match(problems[0]!.message, /column 'code' \(column 1\): value "x2" does not fit INT/);
  assert.match(problems[1]!.message, /longer than 5 characters/);
});

test('column_types naming a column the CSV lacks is a problem', () => {
  const { table } = parse('a\n1\n');
  const problems: Problem[] = [];
  seedColumns(table!, { b: 'INT' }, 'seeds/x.csv', problems);
  assert.match(problems[0]!.message, /column_types names 'b', which is not a column of the CSV \(a\)/);
});
