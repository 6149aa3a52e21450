/**
 * The fault cycle: snapshot the published warehouse, start a run to the other day's dump with a
 * fault injected, check the warehouse is exactly as before (or exactly the new day, when the run
 * had already published), then run again cleanly and check that this run succeeds, publishes
 * exactly the new day, and leaves no shadow, temporary table or dangling run behind.
 */
import { qualified, type Db } from '../../actions/platform/db.ts';
import { CONTENT_HASHES_TABLE } from '../../actions/platform/meta.ts';
import type { Fixture } from './fixture.ts';
import { killAtPoint, killConnectionsAt, type InjectionOutcome } from './injectors.ts';
import { PAUSE_BEFORE_PUBLISH_ENV, type KillPoint } from './kill-points.ts';
import { describeLeftovers, findLeftovers } from './leftovers.ts';
import { firstErrorLine, newOutcome, type Category, type Outcome } from './outcome.ts';
import { runToEnd } from './pipeline-process.ts';
import {
  compareSnapshots,
  compareWithReference,
  describeDifferences,
  rowsAtRisk,
  snapshotSize,
  takeSnapshot,
  type Snapshot,
} from './snapshot.ts';
import { stageSpans } from './kill-points.ts';

export type Injector = (args: string[], env: Record<string, string>) => Promise<InjectionOutcome>;

function expectedTables(s: Snapshot): Record<string, string[]> {
  return Object.fromEntries(Object.entries(s.schemas).map(([name, schema]) => [name, Object.keys(schema.tables)]));
}

/**
 * After a check that did not hold, the warehouse may be wrong in ways a snapshot does not show
 * (the loader's content hashes describing other data than the tables hold). So that one failure
 * does not spill into the next checks, the loader's hashes are cleared (the next load reloads
 * every table) and clean runs are made until the warehouse equals a day's reference again.
 */
export async function resync(f: Fixture, admin: Db): Promise<string> {
  await admin.exec(`DELETE FROM ${qualified(`${f.prefix}pipeline_meta`, CONTENT_HASHES_TABLE)}`).catch(() => {});
  for (const day of [(1 - f.current) as 0 | 1, f.current]) {
    const r = await runToEnd(f.args(f.days[day].dump), { env: f.env() });
    f.outputs.push(r);
    if (r.code === 0 && compareWithReference(f.days[day].reference, await takeSnapshot(admin, f.prefix)).length === 0) {
      f.current = day;
      return `the suite then cleared the loader's content hashes and a clean run of day ${f.days[day].date} restored its reference state`;
    }
  }
  return 'could not resynchronise: after clearing the content hashes, two clean runs did not restore a reference state';
}

export async function faultCycle(
  f: Fixture,
  category: Category,
  name: string,
  inject: Injector,
  options: { admin?: Db } = {},
): Promise<Outcome> {
  const admin = options.admin ?? f.admin;
  const o = newOutcome(category, name);
  const started = Date.now();
  const from = f.current;
  const to = (1 - from) as 0 | 1;
  const before = await takeSnapshot(admin, f.prefix);
  const drift = compareWithReference(f.days[from].reference, before);
  if (drift.length) o.problems.push(`before the fault the warehouse was not day ${f.days[from].date}: ${describeDifferences(drift)}`);

  const inj = await inject(f.args(f.days[to].dump), f.env());
  f.outputs.push(inj.exit);
  o.injected = inj.injected;
  o.stage = inj.stage;
  o.exitCode = inj.exit.code;
  o.errorLine = inj.exit.signal ? `killed by ${inj.exit.signal}` : firstErrorLine(inj.exit.stderr);
  if (!inj.injected) o.checks.push(inj.detail ?? 'not injected');
  const internal = inj.exit.stderr.split('\n').find((l) => /internal error/.test(l));
  if (internal) o.problems.push(`an internal error instead of an explained failure: ${internal.trim()}`);

  const afterFault = await takeSnapshot(admin, f.prefix);
  const changed = compareSnapshots(before, afterFault);
  const size = snapshotSize(before);
  let published = false;
  if (changed.length === 0) {
    o.checks.push(
      `published warehouse unchanged: ${size.tables} tables, ${size.views} views, ${size.rows} rows byte-identical (CHECKSUM TABLE)`,
    );
  } else if (compareWithReference(f.days[to].reference, afterFault).length === 0) {
    published = true;
    o.checks.push(`the run had published before the fault: the warehouse is exactly day ${f.days[to].date}`);
  } else {
    o.problems.push(`the published warehouse changed: ${describeDifferences(changed)}`);
    o.rowsLost = rowsAtRisk(before, changed);
  }
  if (inj.exit.code === 0 && !published && inj.injected) o.problems.push('the run reported success but did not publish');

  // The next run. When the faulty run had published, the next one goes back to the other day:
  // state the faulty run left behind (a content hash not recorded, a view not recreated) would
  // make that load skip a table it must reload, and the comparison below would catch it.
  const next = published ? from : to;
  const recovery = await runToEnd(f.args(f.days[next].dump), { env: f.env() });
  f.outputs.push(recovery);
  if (recovery.code !== 0) o.problems.push(`the next run failed (exit ${recovery.code}): ${firstErrorLine(recovery.stderr)}`);
  else {
    o.checks.push('the next run succeeded with no manual clean-up');
    // The freshest timeline of that day: the next kill points are placed on it.
    f.days[next].lines = recovery.lines;
  }
  const afterRecovery = await takeSnapshot(admin, f.prefix);
  const wrong = compareWithReference(f.days[next].reference, afterRecovery);
  if (wrong.length)
    o.problems.push(`after the next run the warehouse is not exactly day ${f.days[next].date}: ${describeDifferences(wrong)}`);
  else o.checks.push(`after the next run the warehouse equals a clean run of day ${f.days[next].date}`);
  const left = await findLeftovers(admin, f.prefix, {
    expectedTables: expectedTables(f.days[next].reference),
    metaSchema: `${f.prefix}pipeline_meta`,
  });
  if (left.length) o.problems.push(`left behind after the next run: ${describeLeftovers(left)}`);
  else o.checks.push('nothing left behind (no shadow/old schema, temporary table or dangling run)');

  if (o.problems.length) o.checks.push(await resync(f, admin));
  else f.current = next;
  o.ms = Date.now() - started;
  o.figures = { rowsProtected: size.rows };
  return o;
}

export function killCycle(f: Fixture, point: KillPoint, index: number): Promise<Outcome> {
  return faultCycle(f, 'kill -9', `kill point ${index + 1}: ${point.label}`, (args, env) => killAtPoint(args, point, { env }));
}

/** Top-level stages of the clean run, with their start and duration. */
export function topStages(f: Fixture): Array<{ name: string; start: number; ms: number }> {
  const spans = stageSpans(f.days[1].lines).filter((s) => s.depth === 0);
  return spans.map((s) => ({ name: s.name, start: s.start, ms: s.end - s.start }));
}

export interface ConnectionKill {
  label: string;
  /** The output line after which the connections are killed. */
  trigger: RegExp;
  delayMs?: number;
  /** Only connections running a statement (default); false kills idle ones too, the run lock's included. */
  busyOnly?: boolean;
  env?: Record<string, string>;
}

/** KILL CONNECTION of the run's connections at a point of the run. */
export function killConnectionCycle(f: Fixture, k: ConnectionKill): Promise<Outcome> {
  return faultCycle(f, 'KILL CONNECTION', k.label, async (args, env) => {
    const r = await killConnectionsAt(
      f.admin,
      args,
      k.trigger,
      { user: f.user.name },
      { env: { ...env, ...k.env }, delayMs: k.delayMs, busyOnly: k.busyOnly ?? true },
    );
    return {
      ...r,
      detail: r.killed.length
        ? `killed ${r.killed.length} connection(s): ${r.killed.map((c) => (c.info ?? c.command).slice(0, 60)).join(' | ')}`
        : r.detail,
    };
  });
}

/** Where the long tier kills connections: a third into the load, in seeds, models and tests, and before publishing. */
export function connectionKills(f: Fixture): ConnectionKill[] {
  const load = topStages(f)[0];
  return [
    {
      label: `busy connections, 30% into ${load?.name.split(' ')[0] ?? 'load'}`,
      trigger: /^▶ load\b/,
      delayMs: Math.round((load?.ms ?? 1000) * 0.3),
    },
    { label: 'busy connections, while seeds load', trigger: /^(OK|ERROR)\s+seed\./ },
    { label: 'busy connections, while models build', trigger: /^(OK|ERROR)\s+model\./ },
    { label: 'busy connections, while data tests run', trigger: /^(PASS|WARN|FAIL|ERROR)\s+test\./ },
    {
      label: "every connection, the run lock's included, right before publishing",
      trigger: /^about to publish/,
      delayMs: 200,
      busyOnly: false,
      env: { [PAUSE_BEFORE_PUBLISH_ENV]: '1500' },
    },
  ];
}
