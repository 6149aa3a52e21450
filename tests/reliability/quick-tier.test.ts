/**
 * The quick tier of the reliability suite, inside `npm test`: the real `pipeline daily` (or `load`
 * while daily is not built) as a child process on two small generated dumps, through a few
 * representative faults — kill -9 mid-load and right before publishing, one KILL CONNECTION, a truncated and a corrupt
 * dump, the untrusted dump, BI readers through a run — and then a search of every output for the
 * run user's password. `npm run reliability` runs the long tier (20 kill points and the rest).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';
import type { Db } from '../../actions/platform/db.ts';
import { chooseCommand, createFixture, type Fixture } from '../../scripts/reliability/fixture.ts';
import { chooseKillPoints, publishKillPoints, type KillPoint } from '../../scripts/reliability/kill-points.ts';
import { connectionKills, killConnectionCycle, killCycle } from '../../scripts/reliability/faults.ts';
import { makeBadDumps, type BadDumpSet } from '../../scripts/reliability/bad-dumps.ts';
import { badDumpCheck, untrustedDumpCheck } from '../../scripts/reliability/input-checks.ts';
import { readersCheck, secretsCheck } from '../../scripts/reliability/runtime-checks.ts';
import type { Outcome } from '../../scripts/reliability/outcome.ts';

const SCALE = Number(process.env.RELIABILITY_QUICK_SCALE ?? '0.002');
const command = chooseCommand();
const prefix = testPrefix('relquick');
let admin: Db;
let f: Fixture;
let bad: BadDumpSet;

function assertHeld(o: Outcome): void {
  if (process.env.RELIABILITY_VERBOSE) process.stderr.write(`${JSON.stringify(o, null, 1)}\n`);
  assert.deepEqual(o.problems, [], `${o.category} '${o.name}' (exit ${o.exitCode}: ${o.errorLine})`);
}

/** Two kill points: in the middle of the load, and in the instant before the publishing RENAME. */
function quickPoints(points: KillPoint[]): KillPoint[] {
  const inLoad = points.find((p) => p.plannedStage === 'load' && /\+50%/.test(p.label)) ?? points[Math.floor(points.length / 3)]!;
  return [inLoad, publishKillPoints()[0]!];
}

if (!command) {
  test('the quick reliability tier needs `pipeline daily` or `pipeline load`', (t) => t.skip('neither is built yet'));
} else {
  before(async () => {
    admin = await openTestDb(4);
    f = await createFixture({ admin, prefix, scale: SCALE, command });
    bad = makeBadDumps(f.days[0].dump, join(f.dir, 'bad'), '20260206');
  });

  after(async () => {
    await f?.dispose();
    if (admin) {
      await dropSchemasWithPrefix(admin, prefix);
      await admin.close();
    }
  });

  test(`kill -9 of '${command}' mid-load and right before publishing leaves the published warehouse byte-identical, and the next run recovers`, async () => {
    for (const [i, p] of quickPoints(chooseKillPoints(f.days[1 - f.current]!.lines, 20)).entries()) {
      const o = await killCycle(f, p, i);
      assertHeld(o);
      assert.ok(o.injected, `the kill landed: ${p.label}`);
    }
  });

  test(`KILL CONNECTION of '${command}'s connections mid-stage fails cleanly and changes nothing`, async () => {
    const o = await killConnectionCycle(f, connectionKills(f)[0]!);
    assertHeld(o);
    assert.ok(o.injected, 'a connection was killed');
  });

  test('a truncated and a corrupt dump are refused with one clear line and change nothing', async () => {
    for (const d of bad.quick.filter((b) => /truncated|corrupt gzip/.test(b.name))) {
      assertHeld(await badDumpCheck(f, d));
    }
  });

  test('BI readers querying through a whole run always get the old or the new warehouse, whole', async () => {
    const o = await readersCheck(f, 2);
    assertHeld(o);
    assert.ok(Number(o.figures?.queries) > 20, `${o.figures?.queries} queries`);
  });

  test('the untrusted dump escapes nothing: no user, grant, global, file, other schema or root definer', async () => {
    const o = await untrustedDumpCheck(f, { url: TEST_DATABASE_URL, recover: false });
    assertHeld(o);
  });

  test('no secret (database password, AWS keys) in any output, artifact or run-log message, even of failed runs', async () => {
    const o = await secretsCheck(f);
    assertHeld(o);
  });
}
