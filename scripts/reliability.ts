/**
 * `npm run reliability`: the long tier of the reliability and security suite. It drives the real
 * `pipeline daily` (or `load`, while daily is not built) on generated dumps through every fault:
 * kill -9 at 20 points, KILL CONNECTION in each stage, a server crash and restart mid-load, a tiny
 * max_allowed_packet and a full disk (on a private server, so nobody else is hit), bad and hostile
 * dumps, the bad-input matrix, secrets, two runs at once, and BI readers through a whole run.
 * It writes docs/reliability.md (and target/reliability.json) from what it saw, and exits 1 if any
 * promise did not hold.
 *
 * Environment: DATABASE_URL (the shared server, default root@127.0.0.1:3306), RELIABILITY_SCALE
 * (dump scale, default 0.01), RELIABILITY_KILL_POINTS (default 20), RELIABILITY_PRIVATE_SERVER=0
 * to skip the server-level faults, RELIABILITY_COMMAND=load|daily to force the command,
 * RELIABILITY_OUT (default docs/reliability.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, quoteIdent, type Db } from '../actions/platform/db.ts';
import { cliCases, projectCases, runBadInput } from './reliability/bad-input.ts';
import { makeBadDumps } from './reliability/bad-dumps.ts';
import { connectionKills, killConnectionCycle, killCycle } from './reliability/faults.ts';
import { chooseCommand, createFixture, type Fixture } from './reliability/fixture.ts';
import { badDumpCheck, untrustedDumpCheck } from './reliability/input-checks.ts';
import { chooseKillPoints, publishKillPoints } from './reliability/kill-points.ts';
import { held, newOutcome, type Outcome } from './reliability/outcome.ts';
import { ROOT } from './reliability/pipeline-process.ts';
import { privateServerAvailable } from './reliability/private-server.ts';
import { renderReport, type ReportContext } from './reliability/report.ts';
import { concurrencyCheck, readersCheck, secretsCheck } from './reliability/runtime-checks.ts';
import { createPrivateFixture, diskFullCycle, packetCycle, restartCycle } from './reliability/server-faults.ts';
import { schemasOfPrefix, snapshotSize } from './reliability/snapshot.ts';
import { s3DropCycles } from './reliability/s3-faults.ts';

const env = process.env;
const scale = Number(env.RELIABILITY_SCALE ?? '0.01');
const killPoints = Number(env.RELIABILITY_KILL_POINTS ?? '20');
const out = env.RELIABILITY_OUT ?? join(ROOT, 'docs', 'reliability.md');
const url = env.DATABASE_URL || DEFAULT_DATABASE_URL;

const log = (line: string) => process.stderr.write(`[reliability] ${line}\n`);

async function dropPrefix(db: Db, prefix: string): Promise<void> {
  for (const s of await schemasOfPrefix(db, prefix)) await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(s)}`);
}

const progressFile = join(ROOT, 'target', 'reliability.json');

function record(outcomes: Outcome[], o: Outcome): void {
  outcomes.push(o);
  // Written after every check, so that a long run cut short still leaves what it saw.
  mkdirSync(dirname(progressFile), { recursive: true });
  writeFileSync(progressFile, JSON.stringify({ complete: false, outcomes }, null, 2));
  const status = !o.injected ? 'not injected' : held(o) ? 'held' : `DID NOT HOLD: ${o.problems.join('; ')}`;
  log(`${o.category} | ${o.name} | ${o.stage ?? ''} | exit ${o.exitCode} | ${status} | ${(o.ms / 1000).toFixed(1)}s`);
}

async function guarded(
  outcomes: Outcome[],
  category: Outcome['category'],
  name: string,
  fn: () => Promise<Outcome | Outcome[]>,
): Promise<void> {
  try {
    const r = await fn();
    for (const o of Array.isArray(r) ? r : [r]) record(outcomes, o);
  } catch (err) {
    const o = newOutcome(category, name);
    o.problems.push(`the harness failed: ${(err as Error).stack ?? err}`);
    record(outcomes, o);
  }
}

async function sharedServerPart(f: Fixture, outcomes: Outcome[]): Promise<void> {
  // kill -9 at points chosen on each day's clean run (alternating days), the last four around the publishing RENAME.
  const around = publishKillPoints();
  const generic = Math.max(0, killPoints - around.length);
  for (let i = 0; i < killPoints; i++) {
    const to = (1 - f.current) as 0 | 1;
    // Chosen on the latest clean run of that day, so that they follow the machine's current speed.
    const point = i < generic ? chooseKillPoints(f.days[to].lines, generic)[i] : around[i - generic];
    if (point) await guarded(outcomes, 'kill -9', `kill point ${i + 1}`, () => killCycle(f, point, i));
  }
  for (const k of connectionKills(f)) await guarded(outcomes, 'KILL CONNECTION', k.label, () => killConnectionCycle(f, k));
  const bad = makeBadDumps(f.days[0].dump, join(f.dir, 'bad'), '20260206');
  for (const d of bad.all) await guarded(outcomes, 'bad dump', d.name, () => badDumpCheck(f, d));
  const adminUrl = url;
  await guarded(outcomes, 'untrusted dump', 'untrusted', () => untrustedDumpCheck(f, { url: adminUrl }));
  await guarded(outcomes, 'untrusted dump', 'untrusted --with-routines', () =>
    untrustedDumpCheck(f, { url: adminUrl, withRoutines: true }),
  );
  await guarded(outcomes, 'untrusted dump', 'untrusted as the least-privilege user', () =>
    untrustedDumpCheck(f, { url: f.user.url, label: 'all attacks, run by the least-privilege pipeline user' }),
  );
  await guarded(outcomes, 'concurrency', 'two runs', () => concurrencyCheck(f, false));
  await guarded(outcomes, 'concurrency', 'two runs --wait-lock', () => concurrencyCheck(f, true));
  await guarded(outcomes, 'readers', 'readers', () => readersCheck(f, 4));
  await guarded(outcomes, 'S3', 'S3 connection dropped', () => s3DropCycles(f));
  for (const c of [...cliCases(url), ...projectCases()]) {
    await guarded(outcomes, 'bad input', c.name, () => runBadInput(c, { url, prefix: f.prefix }));
  }
  // Last: the secret scan reads every output of the whole session.
  await guarded(outcomes, 'secrets', 'secrets', () => secretsCheck(f));
}

async function privateServerPart(f: Fixture, outcomes: Outcome[], gaps: string[]): Promise<void> {
  if (env.RELIABILITY_PRIVATE_SERVER === '0') {
    gaps.push('server restart, tiny max_allowed_packet, disk full: skipped (RELIABILITY_PRIVATE_SERVER=0)');
    return;
  }
  if (!privateServerAvailable()) {
    gaps.push('server restart, tiny max_allowed_packet, disk full: skipped (no mariadbd binary to start a private server)');
    return;
  }
  log('starting a private server for the server-level faults');
  const p = await createPrivateFixture({
    prefix: `t_relp_${randomBytes(3).toString('hex')}_`,
    scale,
    command: f.command,
    log,
    dumps: f.dumps,
    workDir: f.dir,
    tmpfsMb: 768,
  });
  try {
    await guarded(outcomes, 'server restart', 'server restart', () => restartCycle(p, 0.4));
    await guarded(outcomes, 'server restart', 'server restart late', () => restartCycle(p, 0.8));
    await guarded(outcomes, 'disk full', 'max_allowed_packet', () => packetCycle(p));
    await guarded(outcomes, 'disk full', 'disk full', () => diskFullCycle(p));
    // Attacks that would hurt everyone on a shared server if they worked: only here.
    const rootUrl = p.server.url;
    await guarded(outcomes, 'untrusted dump', 'catastrophic', () =>
      untrustedDumpCheck(p.fixture, {
        url: rootUrl,
        catastrophic: true,
        label: 'all attacks incl. SHUTDOWN, root password, INSTALL SONAME (private server)',
      }),
    );
    if (!p.mount) gaps.push('disk full: no tmpfs could be mounted, so only max_allowed_packet was tried');
  } finally {
    await p.dispose();
  }
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const admin = await openDb(parseDatabaseUrl(url), { connections: 4 });
  const prefix = `t_rel_${randomBytes(3).toString('hex')}_`;
  const outcomes: Outcome[] = [];
  const gaps: string[] = [];
  const command = chooseCommand();
  let f: Fixture | undefined;
  try {
    if (!command) throw new Error('neither daily nor load is built yet: there is no pipeline to drive');
    if (command === 'load')
      gaps.push(
        '`daily` is not built yet: the faults drive `pipeline load` (load-stage faults only; seed, build, test and publish are not covered)',
      );
    log(`prefix ${prefix}, command ${command}, scale ${scale}`);
    f = await createFixture({ admin, prefix, scale, command, log });
    await sharedServerPart(f, outcomes);
    await privateServerPart(f, outcomes, gaps);
    const size = snapshotSize(f.days[1].reference);
    const context: ReportContext = {
      startedAt,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      command,
      dumpSource: f.dumpSource,
      server: `${admin.settings.host}:${admin.settings.port} (${(await admin.query<{ v: string }>('SELECT VERSION() AS v'))[0]!.v})`,
      gaps,
      warehouse: size,
      cleanRunSeconds: f.days.map((d) => d.seconds),
    };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, renderReport(outcomes, context));
    writeFileSync(progressFile, JSON.stringify({ complete: true, context, outcomes }, null, 2));
    log(`wrote ${out}`);
    const failed = outcomes.filter((o) => !held(o));
    log(`${outcomes.length} checks, ${failed.length} did not hold, ${outcomes.reduce((n, o) => n + o.rowsLost, 0)} rows lost`);
    return failed.length ? 1 : 0;
  } finally {
    await f?.dispose().catch(() => {});
    await dropPrefix(admin, prefix).catch(() => {});
    await admin.close();
  }
}

/** `--render FILE`: writes the report again from a completed run's target/reliability.json. */
function renderOnly(file: string): number {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    complete: boolean;
    context: ReportContext & { startedAt: string };
    outcomes: Outcome[];
  };
  if (!saved.complete) throw new Error(`${file} is from a run that did not finish: run the long tier again`);
  writeFileSync(out, renderReport(saved.outcomes, { ...saved.context, startedAt: new Date(saved.context.startedAt) }));
  log(`wrote ${out} from ${file}`);
  return 0;
}

const renderArg = process.argv.indexOf('--render');
(renderArg > 0 ? Promise.resolve().then(() => renderOnly(process.argv[renderArg + 1] ?? progressFile)) : main()).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`reliability: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);
