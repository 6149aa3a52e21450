/**
 * The dump writer's mysql8 flavour against a real mysqldump 8.0.20 file of the shared test data
 * (../shared/testdata/mysql8-dumps/12-japanese-mydb.sql): byte for byte.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { DumpValue } from '../../actions/platform/dump-writer.ts';
import { collectDump as collect } from '../helpers/collect-dump.ts';
import { sharedFixture } from './fixtures.ts';

const file = sharedFixture('testdata/mysql8-dumps/12-japanese-mydb.sql');

test('the mysql8 flavor reproduces a real mysqldump 8.0 file byte for byte', {
  skip: file === undefined && 'the shared test data is not beside the project',
}, async () => {
  const real = readFileSync(file!, 'utf8');
  const ddl = (t: string) => new RegExp(`(CREATE TABLE \`${t}\` [\\s\\S]*?);\\n`).exec(real)![1]!;
  const tables: Array<[string, DumpValue[][]]> = [
    [
      'carts',
      [
        [1, 2, 5],
        [2, 3, 3],
        [3, 2, 1],
        [4, 2, 3],
        [5, 4, 2],
        [6, 2, 2],
      ],
    ],
    ['items', [[1, '商品100']]],
    [
      'makers',
      [
        [1, '山田さん', '東京都港区', '000-111-2222'],
        [2, '斎藤さん', '北海道小樽市', '111-222-3333'],
        [3, '川上さん', '神奈川県横浜市', '222-333-4444'],
      ],
    ],
    [
      'my_items',
      [
        [2, 'いちご', 180, '赤い、甘い、ケーキ', 3, '2020-05-27 07:33:35', 1],
        [3, 'りんご', 90, '丸い、赤い、パイ', 12, '2020-05-27 07:33:35', 2],
        [4, 'ばなな', 120, 'パック、甘い、黄色', 7, '2020-05-27 07:33:35', 1],
        [5, 'ブルーベリー', 200, '袋入り、青い、眼精疲労', 1, '2020-05-27 07:33:36', 3],
      ],
    ],
  ];
  const mine = await collect(
    async (w) => {
      await w.begin('mydb', '8.0.20-0ubuntu0.19.10.1');
      for (const [name, rows] of tables) {
        await w.table(name, ddl(name));
        for (const row of rows) w.row(row);
        await w.endTable();
      }
      await w.end(new Date(Date.UTC(2020, 4, 27, 8, 18, 9)));
    },
    { flavor: 'mysql8', client: 'MySQL dump 10.13  Distrib 8.0.20, for Linux (x86_64)' },
  );
  assert.equal(mine.toString('utf8'), real);
});
