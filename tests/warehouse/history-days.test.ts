/**
 * Five consecutive generated days through `pipeline daily` build the warehouse's history
 * (DOMAIN.md "History"). The snapshots must hold exactly the versions that follow from the five
 * staging dumps (computed here, independently of the snapshot engine, from each day's staging
 * tables); a committed summary (history-days-golden.ts) pins the story, so a change of the
 * generator or the engine that alters it shows up. Then: a failed day 3 leaves the history as
 * after day 2, and rerunning it and days 4-5 gives exactly the uninterrupted sequence's tables.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Db } from '../../actions/platform/db.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { generateDump } from '../../scripts/generate-dump/generate-dump.ts';
import { runPipelineInProcess } from '../helpers/cli.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { HISTORY_DAYS_GOLDEN, type DaySummary } from './history-days-golden.ts';
import { ExpectedSnapshot, SNAPSHOTS, type SnapshotName } from './history-model.ts';

const SCALE = 0.01;
const SEED = 2;
const DATES = ['20260205', '20260206', '20260207', '20260208', '20260209'];
const straight = testPrefix('histdays');
const interrupted = testPrefix('histfail');
const work = mkdtempSync(join(tmpdir(), 'history-days-'));
const dumps = DATES.map((d) => join(work, `gghouse_${d}.sql`));
let db: Db;

before(async () => {
  db = await openTestDb();
  for (const [i, date] of DATES.entries()) await generateDump({ out: dumps[i]!, scale: SCALE, date, seed: SEED }, silentLogger);
});
after(async () => {
  rmSync(work, { recursive: true, force: true });
  await dropSchemasWithPrefix(db, straight);
  await dropSchemasWithPrefix(db, interrupted);
  await db.close();
});

const iso = (date: string) => `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
const target = (prefix: string) => join(work, `target-${prefix}`);

async function daily(prefix: string, dump: string): Promise<{ code: number; output: string }> {
  const r = await runPipelineInProcess(['daily', '--dump', dump, '--schema-prefix', prefix, '--target-dir', target(prefix)]);
  return { code: r.code, output: r.stdout + r.stderr };
}

const strings = async (sql: string) =>
  (await db.query<Record<string, unknown>>(sql)).map((r) => Object.values(r).map((v) => (v === null ? null : String(v))));

/** The snapshot's rows as the model writes them: its columns, dbt_valid_from, dbt_valid_to. */
async function snapshotVersions(prefix: string, name: SnapshotName): Promise<(string | null)[][]> {
  const cols = [...SNAPSHOTS[name].columns, 'dbt_valid_from', 'dbt_valid_to'].map((c) => `CAST(${c} AS CHAR) AS ${c}`);
  return strings(`SELECT ${cols.join(', ')} FROM \`${prefix}snapshots\`.${name} t ORDER BY t.id, t.dbt_valid_from`);
}

/** Every column of every row, dbt_scd_id and dbt_updated_at included. */
async function snapshotContent(prefix: string, name: SnapshotName): Promise<(string | null)[][]> {
  return strings(`SELECT * FROM \`${prefix}snapshots\`.${name} ORDER BY id, dbt_valid_from`);
}

/** The snapshot's source rows in today's staging, as the snapshot's SELECT reads them. */
async function sourceRows(prefix: string, name: SnapshotName): Promise<(string | null)[][]> {
  const s = SNAPSHOTS[name];
  const cols = s.columns.map((c) =>
    (s.dates as readonly string[]).includes(c)
      ? `CAST(CASE WHEN CAST(${c} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE ${c} END AS CHAR)`
      : `CAST(${c} AS CHAR)`,
  );
  return strings(`SELECT ${cols.join(', ')} FROM \`${prefix}staging\`.${s.source} t ORDER BY t.id`);
}

const checksums = async (prefix: string) =>
  strings(
    `CHECKSUM TABLE ${Object.keys(SNAPSHOTS)
      .map((n) => `\`${prefix}snapshots\`.${n}`)
      .join(', ')}`,
  );

/** The report's "What changed since yesterday": versions opened and closed per snapshot. */
function reportedChanges(prefix: string): Record<string, [number, number]> {
  const report = readFileSync(join(target(prefix), 'report.md'), 'utf8');
  assert.match(report, /## What changed since yesterday — \d+ version\(s\) opened, \d+ closed/);
  assert.match(report, /## What changed, by layer/, 'the row counts per layer are still reported');
  for (const layer of ['staging', 'silver', 'gold', 'snapshots', 'seeds'])
    assert.match(report, new RegExp(`### ${layer} — \\d+ tables, [\\d,]+ rows`));
  const out: Record<string, [number, number]> = {};
  for (const name of Object.keys(SNAPSHOTS)) {
    const m = new RegExp(`\\| ${name} \\| (\\d+) \\| (\\d+) \\|`).exec(report);
    assert.ok(m, `the report has no line for ${name}`);
    out[name] = [Number(m[1]), Number(m[2])];
  }
  return out;
}

let straightContent: Record<string, (string | null)[][]> | undefined;

test('five generated days through daily: the snapshots hold exactly the versions the dumps imply, as the golden summary says', async (t) => {
  const expected = Object.fromEntries(Object.keys(SNAPSHOTS).map((n) => [n, new ExpectedSnapshot(n as SnapshotName)])) as Record<
    SnapshotName,
    ExpectedSnapshot
  >;
  const summary: DaySummary[] = [];
  for (const [i, date] of DATES.entries()) {
    const r = await daily(straight, dumps[i]!);
    assert.equal(r.code, 0, `day ${date}: ${r.output}`);
    const reported = reportedChanges(straight);
    const day: DaySummary = { date: iso(date), snapshots: {}, room_rent_changes: 0, tenant_status_changes: 0 };
    for (const name of Object.keys(SNAPSHOTS) as SnapshotName[]) {
      const change = expected[name].apply(await sourceRows(straight, name), `${iso(date)} 00:00:00`);
      assert.deepEqual(await snapshotVersions(straight, name), expected[name].rows(), `${name} after ${date}`);
      assert.deepEqual(reported[name], [change.opened, change.closed], `${name}: the report's versions opened and closed on ${date}`);
      day.snapshots[name] = [change.opened, change.closed];
    }
    // The gold models list exactly the changes of the expected versions.
    const rents = await strings(
      `SELECT room_id, CAST(changed_on AS CHAR), old_rent, new_rent, old_common_fee, new_common_fee FROM \`${straight}gold\`.room_rent_changes ORDER BY room_id, changed_on`,
    );
    assert.deepEqual(rents, expected.snap_rooms.changes(['rent', 'common_fee']), `room_rent_changes after ${date}`);
    const statuses = await strings(
      `SELECT tenant_id, CAST(changed_on AS CHAR), old_status, new_status FROM \`${straight}gold\`.tenant_status_changes ORDER BY tenant_id, changed_on`,
    );
    assert.deepEqual(statuses, expected.snap_tenants.changes(['status']), `tenant_status_changes after ${date}`);
    day.room_rent_changes = rents.length;
    day.tenant_status_changes = statuses.length;
    summary.push(day);
  }
  t.diagnostic(JSON.stringify(summary));
  assert.deepEqual(
    summary,
    HISTORY_DAYS_GOLDEN,
    `the five days' history changed; if that is meant, update history-days-golden.ts to:\n${JSON.stringify(summary, null, 2)}`,
  );
  // Every day after the first changed each snapshot, and gold saw rent and status changes.
  for (const day of summary.slice(1))
    for (const [name, [opened]] of Object.entries(day.snapshots)) assert.ok(opened > 0, `${name} on ${day.date}`);
  assert.ok(summary[4]!.room_rent_changes > summary[0]!.room_rent_changes);
  assert.ok(summary[4]!.tenant_status_changes > summary[0]!.tenant_status_changes);
  straightContent = Object.fromEntries(
    await Promise.all(Object.keys(SNAPSHOTS).map(async (n) => [n, await snapshotContent(straight, n as SnapshotName)] as const)),
  );
});

test('a failed day 3 leaves the history as after day 2; rerunning days 3-5 gives the uninterrupted sequence exactly', async () => {
  assert.ok(straightContent, 'runs after the uninterrupted sequence');
  for (const i of [0, 1]) assert.equal((await daily(interrupted, dumps[i]!)).code, 0);
  const afterDay2 = await checksums(interrupted);
  // Day 3's dump arrives cut off (same name, so the same as_of_date): the load fails the day.
  mkdirSync(join(work, 'cut'), { recursive: true });
  const cut = join(work, 'cut', `gghouse_${DATES[2]}.sql`);
  const text = readFileSync(dumps[2]!, 'utf8');
  writeFileSync(cut, text.slice(0, Math.floor(text.length * 0.6)));
  const failed = await daily(interrupted, cut);
  assert.equal(failed.code, 1, 'a truncated dump fails the day');
  assert.deepEqual(await checksums(interrupted), afterDay2, 'the failed day left the history exactly as it was');
  for (const i of [2, 3, 4]) {
    const r = await daily(interrupted, dumps[i]!);
    assert.equal(r.code, 0, r.output);
  }
  for (const name of Object.keys(SNAPSHOTS) as SnapshotName[]) {
    assert.deepEqual(
      await snapshotContent(interrupted, name),
      straightContent[name],
      `${name}: the rerun differs from the uninterrupted sequence`,
    );
  }
});
