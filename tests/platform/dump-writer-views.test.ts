import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { DumpWriter } from '../../actions/platform/dump-writer.ts';

async function written(fn: (w: DumpWriter) => Promise<void>): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const w = new DumpWriter(out, { flavor: 'mariadb' });
  await w.begin('legacy', '10.11.19-MariaDB');
  await fn(w);
  await w.end('2026-02-05 03:00:00');
  return text;
}

test('a column list is written when given (tables with generated columns), and views follow the tables', async () => {
  const text = await written(async (w) => {
    await w.table('t', 'CREATE TABLE `t` (`id` int, `g` int AS (`id` * 2) VIRTUAL)', ['id']);
    w.rowText('(1)');
    await w.endTable();
    await w.view('v', 'CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select `t`.`id` AS `id` from `t`');
  });
  assert.match(text, /INSERT INTO `t` \(`id`\) VALUES\n\(1\);\n/);
  assert.match(
    text,
    /-- Final view structure for view `v`\n--\n\n\/\*!50001 DROP TABLE IF EXISTS `v`\*\/;\n\/\*!50001 DROP VIEW IF EXISTS `v`\*\/;\nCREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select `t`\.`id` AS `id` from `t`;\n/,
  );
  assert.ok(text.indexOf('VIEW `v`') < text.indexOf('-- Dump completed on 2026-02-05  3:00:00'));
});

test('a view cannot be written inside a table', async () => {
  await assert.rejects(
    written(async (w) => {
      await w.table('t', 'CREATE TABLE `t` (`id` int)');
      await w.view('v', 'CREATE VIEW `v` AS select 1');
    }),
    /DumpWriter\.view\(\) called in state 'table'/,
  );
});
