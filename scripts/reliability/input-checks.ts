/**
 * Runs on bad and hostile dumps: each must fail cleanly (or, for the untrusted dump, load only what
 * is safe), leave the published warehouse exactly as it was, and say what it refused.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BadDump } from './bad-dumps.ts';
import type { Fixture } from './fixture.ts';
import { checkCleanFailure, firstErrorLine, newOutcome, type Outcome } from './outcome.ts';
import { runToEnd } from './pipeline-process.ts';
import { compareSnapshots, compareWithReference, describeDifferences, rowsAtRisk, snapshotSize, takeSnapshot } from './snapshot.ts';
import {
  ATTACKS,
  attackEffects,
  buildUntrustedDump,
  newAttackContext,
  prepareTargets,
  removeTargets,
  securityState,
  type Attack,
} from './untrusted-dump.ts';
import { readRunResults } from '../../actions/platform/run-results.ts';
import { openDb, parseDatabaseUrl } from '../../actions/platform/db.ts';

/** The account (user@host, as DEFINER shows it) that a DATABASE_URL logs in as. */
async function accountOf(url: string): Promise<string> {
  const db = await openDb(parseDatabaseUrl(url), { connections: 1 });
  try {
    const [row] = await db.query<{ a: string }>('SELECT CURRENT_USER() AS a');
    return row?.a ?? '';
  } finally {
    await db.close();
  }
}

export async function badDumpCheck(f: Fixture, bad: BadDump): Promise<Outcome> {
  const o = newOutcome('bad dump', bad.name);
  const started = Date.now();
  const before = await takeSnapshot(f.admin, f.prefix);
  const r = await runToEnd(f.args(bad.file), { env: f.env() });
  f.outputs.push(r);
  checkCleanFailure(o, r, 1);
  if (o.errorLine && !bad.expect.test(o.errorLine))
    o.problems.push(`the error line does not say what is wrong with the dump (expected it to match ${bad.expect})`);
  const changed = compareSnapshots(before, await takeSnapshot(f.admin, f.prefix));
  if (changed.length) {
    o.problems.push(`the published warehouse changed: ${describeDifferences(changed)}`);
    o.rowsLost = rowsAtRisk(before, changed);
  } else o.checks.push(`published warehouse unchanged (${snapshotSize(before).tables} tables byte-identical)`);
  o.ms = Date.now() - started;
  return o;
}

export interface UntrustedOptions {
  /** Run as this DATABASE_URL (default: the admin's, i.e. a user with every privilege: the worst case). */
  url: string;
  withRoutines?: boolean;
  /** Include the attacks that would hurt the whole server if they worked (private server only). */
  catastrophic?: boolean;
  /** Only these attacks (default: all that apply). */
  attacks?: Attack[];
  label?: string;
  /** Run the day cleanly afterwards when the dump was published, to restore the reference state (default true). */
  recover?: boolean;
}

/** The untrusted dump: day B's dump with the attacks spliced in, loaded by a user with every privilege. */
export async function untrustedDumpCheck(f: Fixture, options: UntrustedOptions): Promise<Outcome> {
  const attacks = options.attacks ?? ATTACKS.filter((a) => options.catastrophic || !a.catastrophic);
  const o = newOutcome(
    'untrusted dump',
    options.label ?? `${attacks.length} attacks in one dump${options.withRoutines ? ' (--with-routines)' : ''}`,
  );
  const started = Date.now();
  const c = newAttackContext(f.prefix, `${f.prefix}gold`);
  await prepareTargets(f.admin, c);
  const security = await securityState(f.admin, c);
  const day = f.days[(1 - f.current) as 0 | 1];
  const file = join(f.dir, 'untrusted', `gghouse_${day.date}.sql`);
  mkdirSync(dirname(file), { recursive: true });
  const crafted = buildUntrustedDump(readFileSync(day.dump, 'latin1'), c, attacks);
  writeFileSync(file, crafted.text, 'latin1');
  const before = await takeSnapshot(f.admin, f.prefix, { exclude: ['pipeline_meta', 'pipeline_audit', 'victim'] });
  try {
    const args = f.args(file, options.withRoutines ? ['--with-routines'] : []);
    const r = await runToEnd(args, { env: f.env({ DATABASE_URL: options.url }) });
    f.outputs.push(r);
    o.exitCode = r.code;
    o.errorLine = firstErrorLine(r.stderr);
    if (/internal error/.test(r.stderr)) o.problems.push(`an internal error: ${o.errorLine}`);
    const effects = await attackEffects(f.admin, c, security, await accountOf(options.url));
    for (const e of effects) o.problems.push(`took effect: ${e}`);
    if (!effects.length)
      o.checks.push(`none of the ${attacks.length} attacks took effect (users, grants, globals, other schemas, files, definers)`);
    // The published warehouse: unchanged when the run refused the dump, or exactly the new day when it loaded what was safe.
    const after = await takeSnapshot(f.admin, f.prefix, { exclude: ['pipeline_meta', 'pipeline_audit', 'victim'] });
    const changed = compareSnapshots(before, after);
    const published = r.code === 0;
    if (!published && changed.length) {
      o.problems.push(`the run failed but the published warehouse changed: ${describeDifferences(changed)}`);
      o.rowsLost = rowsAtRisk(before, changed);
    } else if (published) {
      const reference = day.reference;
      const vsDay = compareWithReference(reference, after).filter((d) => !/^t_rel_|^x`/.test(d.table ?? ''));
      const outside = vsDay.filter((d) => d.schema !== `${f.prefix}staging`);
      if (outside.length)
        o.problems.push(`outside staging, the warehouse differs from a clean run of the same day: ${describeDifferences(outside)}`);
      else o.checks.push('the safe part of the dump was published; every layer but staging equals a clean run');
    } else o.checks.push('the dump was refused and the published warehouse is byte-identical');
    // The report names each refused statement.
    const results = readRunResults(f.targetDir);
    const refused = results?.load?.refused ?? [];
    o.figures = { attacks: attacks.length, refusedListed: refused.length };
    // An attack is named when a refused statement sits on its lines of the dump (or, without a
    // line, matches its signature). Statements skipped on purpose are listed by reason only.
    const refusedAt = (a: Attack) => {
      const span = crafted.lines.get(a)!;
      return refused.some((x) => (x.line !== undefined ? x.line >= span.first && x.line <= span.last : a.signature.test(x.statement)));
    };
    const skippedText = (results?.load?.skipped ?? []).map((x) => x.reason).join('\n');
    const onlySkipped = attacks.filter((a) => !refusedAt(a) && a.signature.test(skippedText));
    if (onlySkipped.length) o.checks.push(`listed as skipped, not as refused: ${onlySkipped.map((a) => a.name).join('; ')}`);
    const unnamed = attacks.filter((a) => !a.mayLoad && !refusedAt(a) && !a.signature.test(skippedText));
    const accepted = attacks.filter((a) => a.mayLoad && !refusedAt(a));
    if (accepted.length)
      o.checks.push(`accepted as harmless inside the target schema (and checked to be): ${accepted.map((a) => a.name).join('; ')}`);
    if (unnamed.length && (published || refused.length > 1))
      o.problems.push(`not named in run_results.json load.refused: ${unnamed.map((a) => a.name).join('; ')}`);
    else if (unnamed.length)
      o.checks.push(`the run stopped at the first refused statement (${refused[0]?.statement.slice(0, 60) ?? 'none listed'})`);
    else
      o.checks.push(
        `run_results.json names every refused attack (${attacks.length - onlySkipped.length - accepted.length} refused, by line)`,
      );
    if (!refused.length && !/refus|not allowed|untrusted/i.test(o.errorLine ?? ''))
      o.problems.push(`neither run_results.json nor the error line says what was refused (${o.errorLine?.slice(0, 160)})`);
  } finally {
    await removeTargets(f.admin, c, security.globals);
    await f.admin.exec(`DROP DATABASE IF EXISTS \`${c.victimSchema}\``).catch(() => {});
  }
  // When the run published (the safe part of the dump), a clean run of the same day puts back
  // the exact reference the other checks compare with.
  if (o.exitCode === 0 && options.recover !== false) {
    const recovery = await runToEnd(f.args(day.dump), { env: f.env() });
    f.outputs.push(recovery);
    if (recovery.code !== 0) o.problems.push(`the next clean run failed: ${firstErrorLine(recovery.stderr)}`);
    else f.current = (1 - f.current) as 0 | 1;
  }
  o.ms = Date.now() - started;
  return o;
}
