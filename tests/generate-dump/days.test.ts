/**
 * Consecutive days from one seed tell one story (README.md "Time base"): the dump of day D+1 is
 * the dump of day D plus that day's events. Table by table, every row of D is in D+1, unchanged
 * unless an event of D+1 changed it (then its updated_at is D+1), and every new row is dated D+1.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoDay } from '../../scripts/generate-dump/calendar.ts';
import { generateDump } from '../../scripts/generate-dump/generate-dump.ts';
import { EPOCH_DAY } from '../../scripts/generate-dump/time-base.ts';
import type { World } from '../../scripts/generate-dump/world.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { values, worldRows, type TableRows } from './world-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'gen-days-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const compact = (day: number) => isoDay(day).replaceAll('-', '');

/** What changed from one day's table to the next's. */
interface TableDiff {
  changed: Array<{ before: string[]; after: string[] }>;
  added: string[][];
}

function diff(name: string, a: TableRows, b: TableRows): TableDiff {
  const d: TableDiff = { changed: [], added: [] };
  for (const [key, tuple] of a.rows) {
    const next = b.rows.get(key);
    assert.ok(next !== undefined, `${name}: row ${key} of the day before is gone`);
    if (next !== tuple) d.changed.push({ before: values(tuple), after: values(next) });
  }
  for (const [key, tuple] of b.rows) if (!a.rows.has(key)) d.added.push(values(tuple));
  return d;
}

/**
 * Every change of `next` over `prev` is an event of `next`'s day: checked for every table, with
 * the rule each kind of table follows. Returns the differences, for the event counts.
 */
function assertOneStory(prev: Map<string, TableRows>, next: Map<string, TableRows>, world: World): Map<string, TableDiff> {
  const day = isoDay(world.dumpDay);
  const diffs = new Map<string, TableDiff>();
  assert.deepEqual([...next.keys()], [...prev.keys()]);
  for (const [name, b] of next) {
    const d = diff(name, prev.get(name)!, b);
    diffs.set(name, d);
    const col = (c: string) => b.columns.indexOf(c);
    const updated = col('updated_at');
    const created = col('created_at');
    for (const row of d.added) {
      if (created >= 0)
        assert.ok(row[created]!.startsWith(`'${day} `), `${name}: new row ${row[0]} created ${row[created]}, not on ${day}`);
      else if (name === 'access_logs' || name === 'operation_logs') assert.fail(`${name} has no created_at`);
    }
    for (const { before, after } of d.changed) {
      const what = `${name}: row ${after[0]} changed (${before.join(',')} → ${after.join(',')})`;
      if (updated >= 0) {
        assert.ok(after[updated]!.startsWith(`'${day} `), `${what}, but its updated_at is not ${day}`);
      } else if (name === 'inquiries') {
        // The vendor links an inquiry to its tenant on the day that tenant first applies.
        const t = col('tenant_id');
        assert.deepEqual([...before.slice(0, t), ...before.slice(t + 1)], [...after.slice(0, t), ...after.slice(t + 1)], what);
        assert.equal(before[t], 'NULL', what);
        assert.equal(world.tenantFirstDay[Number(after[t])], world.dumpDay, `${what}: tenant ${after[t]} did not first apply that day`);
      } else {
        // A table without updated_at changes only by a value dated that day (a payment, a delete).
        assert.ok(
          after.some((v, i) => v !== before[i] && v.startsWith(`'${day}`)),
          `${what}, but no changed value is dated ${day}`,
        );
      }
    }
  }
  for (const log of ['access_logs', 'operation_logs']) assert.equal(diffs.get(log)?.changed.length ?? 0, 0, `${log} only grows`);
  return diffs;
}

test('three days across the epoch: each day is the day before plus its events, in all 81 tables', async (t) => {
  const days = [EPOCH_DAY - 1, EPOCH_DAY, EPOCH_DAY + 1];
  let prev = (await worldRows(1, 0.01, compact(days[0]!))).tables;
  assert.equal(prev.size, 81);
  let grew = 0;
  let changed = 0;
  // A row whose only change is its updated_at had an event no column shows (a move-in, an edit).
  // Such events are rare; a row "edited" two days running is a clock that moves with the dump date.
  let quiet = new Set<string>();
  for (const day of days.slice(1)) {
    const { world, tables } = await worldRows(1, 0.01, compact(day));
    const diffs = assertOneStory(prev, tables, world);
    const nowQuiet = new Set<string>();
    for (const [name, d] of diffs) {
      grew += d.added.length;
      changed += d.changed.length;
      const u = tables.get(name)!.columns.indexOf('updated_at');
      for (const { before, after } of d.changed) {
        if (after.every((v, i) => v === before[i] || i === u)) nowQuiet.add(`${name} ${after[0]}`);
      }
    }
    const again = [...nowQuiet].filter((k) => quiet.has(k));
    assert.deepEqual(again, [], 'rows whose updated_at alone moved on two days running');
    quiet = nowQuiet;
    prev = tables;
  }
  t.diagnostic(`two days at scale 0.01: ${grew} rows added, ${changed} changed`);
  assert.ok(grew > 40, `rows added: ${grew}`);
  assert.ok(changed > 5, `rows changed: ${changed}`);
});

test('over five days there are new contracts, move-ins, move-outs, notices, status changes, rent changes and late corrections', async (t) => {
  // Scale 0.3: a few contract events of each kind a day; only the tables they touch.
  const core = ['apartments', 'rooms', 'tenants', 'movings', 'inquiries'];
  const first = EPOCH_DAY + 20;
  let prev = (await worldRows(5, 0.3, compact(first), core)).tables;
  const events = {
    contracts: 0,
    moveins: 0,
    moveouts: 0,
    notices: 0,
    cancellations: 0,
    statuses: 0,
    rents: 0,
    corrections: 0,
    applications: 0,
  };
  for (let day = first + 1; day <= first + 5; day++) {
    const { world, tables } = await worldRows(5, 0.3, compact(day), core);
    const diffs = assertOneStory(prev, tables, world);
    const iso = `'${isoDay(day)}'`;
    const m = tables.get('movings')!.columns;
    const at = (c: string) => m.indexOf(c);
    for (const { before, after } of diffs.get('movings')!.changed) {
      if (after[at('contract_date')] === iso && before[at('contract_date')] !== iso) events.contracts++;
      if (after[at('movein_date')] === iso && after[at('cancel_flag')] === '0' && before[at('contract_date')] !== iso) events.moveins++;
      if (after[at('moveout_notice_date')] === iso && before[at('moveout_notice_date')] !== iso) events.notices++;
      if (after[at('moveout_date')] === iso && after[at('moveout_notice_date')] !== iso) events.moveouts++;
      if (after[at('cancel_flag')] === '1' && before[at('cancel_flag')] === '0') events.cancellations++;
      if (after[at('rent')] !== before[at('rent')]) events.corrections++;
    }
    events.applications += diffs.get('movings')!.added.length;
    const t = tables.get('tenants')!.columns.indexOf('status');
    events.statuses += diffs.get('tenants')!.changed.filter(({ before, after }) => before[t] !== after[t]).length;
    const r = tables.get('rooms')!.columns;
    events.rents += diffs
      .get('rooms')!
      .changed.filter(({ before, after }) => ['rent', 'common_fee'].some((c) => before[r.indexOf(c)] !== after[r.indexOf(c)])).length;
    prev = tables;
  }
  t.diagnostic(`events in five days at scale 0.3: ${JSON.stringify(events)}`);
  for (const [kind, n] of Object.entries(events)) assert.ok(n > 0, `no ${kind} in five days: ${JSON.stringify(events)}`);
});

test('the same date twice gives the same bytes, and the next day a longer dump', async () => {
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const make = async (name: string, date: string) =>
    (await generateDump({ out: join(dir, name), scale: 0.005, date, seed: 2, workers: 0 }, silentLogger)).file;
  const a = await make('a.sql', '20260206');
  const b = await make('b.sql', '20260206');
  assert.equal(sha(a), sha(b));
  const next = await make('c.sql', '20260207');
  assert.ok(readFileSync(next).length > readFileSync(a).length);
});
