/**
 * The warehouse's history (DOMAIN.md "History"): the golden dump as day 1, then day 2 = day 1 with
 * room 101's rent raised and tenant 5's status changed, through `pipeline daily`. The snapshots
 * keep both versions, the gold models room_rent_changes and tenant_status_changes show exactly
 * the changes (dated the dump's day, from the project's snapshot_get_time), a failed day 2 (a
 * truncated dump) leaves the history as it was, and rerunning day 2 adds nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Db } from '../../actions/platform/db.ts';
import { ROOT, runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';

const FIXTURE = join(ROOT, 'tests', 'fixtures', 'golden', 'gghouse_20260205.sql');
const prefix = testPrefix('whhist');
const work = mkdtempSync(join(tmpdir(), 'history-'));
let db: Db;

before(async () => (db = await openTestDb()));
after(async () => {
  rmSync(work, { recursive: true, force: true });
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

const daily = (dump: string) =>
  runPipelineInProcess(['daily', '--dump', dump, '--schema-prefix', prefix, '--target-dir', join(work, 'target')]);

const rows = async (sql: string) =>
  (await db.query<Record<string, unknown>>(sql.replaceAll('P_', prefix))).map((r) => Object.values(r).map(String));

test('two days through daily: both versions kept, the changes in gold, a rerun adds nothing', async () => {
  const day1 = await daily(FIXTURE);
  assert.equal(day1.code, 0, day1.stderr + day1.stdout);
  const day2 = join(work, 'gghouse_20260206.sql');
  const text = readFileSync(FIXTURE, 'utf8');
  const changed = text
    .replace("(101,1,'101',1,'private',9.50,68000,", "(101,1,'101',1,'private',9.50,70000,")
    .replace("'グローバル株式会社',10,", "'グローバル株式会社',9,");
  assert.notEqual(changed, text);
  // Day 2 first arrives cut off mid-file: the run fails and the history stays exactly as it was.
  const snapshotState = () => rows('CHECKSUM TABLE `P_snapshots`.snap_rooms, `P_snapshots`.snap_tenants, `P_snapshots`.snap_movings');
  const afterDay1 = await snapshotState();
  writeFileSync(day2, changed.slice(0, Math.floor(changed.length / 2)));
  const cut = await daily(day2);
  assert.equal(cut.code, 1, 'a truncated dump fails the day');
  assert.deepEqual(await snapshotState(), afterDay1, 'a failed day leaves the history as it was');
  writeFileSync(day2, changed);
  const r2 = await daily(day2);
  assert.equal(r2.code, 0, r2.stderr + r2.stdout);

  assert.deepEqual(await rows('SELECT room_id, changed_on, old_rent, new_rent, rent_difference FROM `P_gold`.room_rent_changes'), [
    ['101', '2026-02-06', '68000', '70000', '2000'],
  ]);
  assert.deepEqual(
    await rows(
      'SELECT tenant_id, changed_on, old_status, old_status_name, new_status, new_status_name FROM `P_gold`.tenant_status_changes',
    ),
    [['5', '2026-02-06', '10', 'Residing', '9', 'Before move-in']],
  );
  // The report says what changed: room 101 and tenant 5 each got a new version, closing the old one.
  const report = readFileSync(join(work, 'target', 'report.md'), 'utf8');
  assert.match(report, /## What changed since yesterday — 2 version\(s\) opened, 2 closed/);
  assert.match(report, /\| snap_rooms \| 1 \| 1 \|/);
  assert.match(report, /\| snap_tenants \| 1 \| 1 \|/);
  assert.match(report, /\| snap_movings \| 0 \| 0 \|/);
  const count = async () => rows('SELECT COUNT(*), SUM(dbt_valid_to IS NULL) FROM `P_snapshots`.snap_rooms');
  const before2 = await count();
  assert.deepEqual(before2, [['7', '6']], 'six rooms, room 101 twice');
  const again = await daily(day2);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(await count(), before2, 'rerunning the same dump adds nothing');
});
