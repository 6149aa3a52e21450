/**
 * The generated world has the old report's shape (scripts/generate-dump/shape.ts), checked
 * without a database: the five figures are counted straight from the replayed contract history
 * and the inquiries, by DOMAIN.md's definitions. `npm run calibrate` is the real check (through
 * `daily`); this one keeps a change of the generator from silently undoing the calibration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWeekend } from '../../scripts/generate-dump/calendar.ts';
import { CORPORATE_CONTRACT_TYPES } from '../../scripts/generate-dump/codes.ts';
import { inquiriesTable } from '../../scripts/generate-dump/core-tables.ts';
import { World } from '../../scripts/generate-dump/world.ts';

const DATE = '20260205';
/** The old system's figures for 2026-02-05 (reference/glue-etl-report-2026-02-05.md). */
const REPORT = { intContracts: 59_118, newContracts: 16_508, moveouts: 15_262, moveoutNotices: 3_635, dailyActivity: 5_624 };
type Figures = typeof REPORT;

/** The five figures of a world, counted as the models count them (dates after the dump never happened). */
async function figures(w: World): Promise<Figures> {
  const dump = w.dumpDay;
  const noticesAfter = w.calendar.addMonths(dump, -24);
  const activity = new Set<number>();
  const active = (day: number, type: number) => {
    if (day >= 0 && day <= dump) activity.add(day * 4 + type);
  };
  const f: Figures = { intContracts: 0, newContracts: 0, moveouts: 0, moveoutNotices: 0, dailyActivity: 0 };
  for (const c of w.contracts()) {
    if (w.isSoftDeleted(c.tenantId) && !w.isPurged(c.tenantId)) continue;
    f.intContracts++;
    const type = c.contractType === 0 ? 3 : CORPORATE_CONTRACT_TYPES.has(c.contractType) ? 2 : 1;
    active(c.applicationDay, type);
    if (c.cancelled) continue;
    active(c.moveinDay, type);
    if (c.contractDay >= 0 && c.contractDay <= dump) {
      f.newContracts++;
      active(c.contractDay, type);
    }
    if (c.moveoutDay >= 0 && c.moveoutDay <= dump) {
      f.moveouts++;
      active(c.moveoutDay, type);
    }
    if (c.noticeDay > noticesAfter && c.noticeDay <= dump) f.moveoutNotices++;
  }
  await inquiriesTable(w).emit({
    rowText(tuple) {
      const m = /^\(\d+,'(\d{4})-(\d\d)-(\d\d) [^']*',(\d)/.exec(tuple)!;
      active(Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000), Number(m[4]));
      return true;
    },
    drain: async () => {},
  });
  f.dailyActivity = activity.size;
  return f;
}

function assertRatios(got: Figures, expected: Figures, tolerance: number): void {
  const off = (Object.keys(expected) as (keyof Figures)[])
    .map((k) => ({ k, ratio: got[k] / expected[k] }))
    .filter((r) => Math.abs(r.ratio - 1) > tolerance);
  assert.deepEqual(off, [], `figures ${JSON.stringify(got)} against ${JSON.stringify(expected)}`);
}

test('at scale 1 the five figures are within 10 % of the old report', async () => {
  assertRatios(await figures(new World(1, 1, DATE).plan()), REPORT, 0.1);
});

test('at scale 0.1 the four per-contract figures are a tenth of the report, and activity still spans the days', async () => {
  const got = await figures(new World(1, 0.1, DATE).plan());
  const tenth = { ...REPORT, intContracts: 5_912, newContracts: 1_651, moveouts: 1_526, moveoutNotices: 364 };
  assertRatios({ ...got, dailyActivity: REPORT.dailyActivity }, tenth, 0.15);
  assert.ok(got.dailyActivity > 2_923, `one row per day and tenant type, individuals every day: ${got.dailyActivity}`);
});

test('most applications fall through, and companies apply, sign and move only on weekdays', () => {
  const w = new World(3, 0.05, DATE).plan();
  let rows = 0;
  let cancelled = 0;
  for (const c of w.contracts()) {
    rows++;
    if (c.cancelled) cancelled++;
    if (!CORPORATE_CONTRACT_TYPES.has(c.contractType)) continue;
    for (const day of [c.applicationDay, c.contractDay, c.moveinDay, c.moveoutDay]) {
      if (day >= 0) assert.ok(!isWeekend(day), `contract ${c.id}: a corporate date on a weekend`);
    }
  }
  assert.ok(cancelled / rows > 0.65 && cancelled / rows < 0.78, `cancelled ${cancelled} of ${rows}`);
});

test('a stay that runs to its planned end has no notice; an early or extended one has', () => {
  const w = new World(1, 0.05, DATE).plan();
  let withNotice = 0;
  let without = 0;
  for (const c of w.contracts()) {
    if (c.cancelled || c.moveoutDay < 0) continue;
    if (c.noticeDay < 0) {
      without++;
      assert.equal(c.moveoutDay, c.plannedMoveoutDay, `contract ${c.id} left without notice before its term ended`);
    } else withNotice++;
  }
  const share = without / (without + withNotice);
  assert.ok(share > 0.2 && share < 0.4, `moved out without notice: ${without} of ${without + withNotice}`);
});
