/**
 * The warehouse under test: a schema prefix of its own, a dedicated database user, two good dumps
 * of different days (A and B), and the reference snapshot of the warehouse after a clean run of
 * each. Faults are injected into a run that goes from one day to the other; afterwards the
 * published warehouse must equal one of the two references exactly, and after a clean recovery run
 * it must equal the new day's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { createPipelineUser, type PipelineUser } from './pipeline-user.ts';
import { runToEnd, ROOT, type OutputLine, type PipelineExit } from './pipeline-process.ts';
import { takeSnapshot, type Snapshot } from './snapshot.ts';
import { fakeAwsEnv } from './secrets-scan.ts';

export type RunCommand = 'daily' | 'load';

export interface Day {
  date: string;
  dump: string;
  reference: Snapshot;
  /** stderr lines of the clean run (the calibration for kill points). */
  lines: OutputLine[];
  seconds: number;
}

export interface Fixture {
  command: RunCommand;
  prefix: string;
  admin: Db;
  user: PipelineUser;
  dir: string;
  targetDir: string;
  projectDir: string;
  days: [Day, Day];
  dumps: Awaited<ReturnType<typeof makeDumps>>;
  /** Which day the published warehouse holds now. */
  current: 0 | 1;
  /** Every run's output, for the secret scan. */
  outputs: PipelineExit[];
  /** How the dumps were made. */
  dumpSource: string;
  /** Fake AWS credentials every run gets in its environment (secrets to look for in its output). */
  aws: Record<string, string>;
  args(dump: string, extra?: string[]): string[];
  env(extra?: Record<string, string>): Record<string, string>;
  dispose(): Promise<void>;
}

/** Whether a command of the CLI is built yet (an unbuilt one says "not implemented yet"). */
export function commandBuilt(command: string): boolean {
  const probe =
    command === 'generate-dump'
      ? ['--out', '/nonexistent/x.sql', '--scale', '0.0001']
      : ['--dump', '/nonexistent/gghouse_20260101.sql', '--schema-prefix', 't_probe_'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'pipeline.ts'), command, ...probe], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: 'mysql://root@127.0.0.1:1' },
    timeout: 60_000,
  });
  return !/not implemented yet/.test(r.stderr);
}

/** The command the harness drives: `daily` once it is built, else `load` for the load-stage faults. */
export function chooseCommand(): RunCommand | undefined {
  if (process.env.RELIABILITY_COMMAND === 'load' || process.env.RELIABILITY_COMMAND === 'daily') return process.env.RELIABILITY_COMMAND;
  if (commandBuilt('daily')) return 'daily';
  if (commandBuilt('load')) return 'load';
  return undefined;
}

/** Two days of dumps from `generate-dump` when it is built, else small real dumps from mariadb-dump. */
export async function makeDumps(
  admin: Db,
  prefix: string,
  dir: string,
  scale: number,
): Promise<{ dumps: [string, string]; dates: [string, string]; source: string }> {
  const dates: [string, string] = ['20260204', '20260205'];
  const dumps = dates.map((d) => join(dir, `day-${d}`, `gghouse_${d}.sql`)) as [string, string];
  const given = [process.env.RELIABILITY_DUMP_A, process.env.RELIABILITY_DUMP_B];
  if (given[0] && given[1]) {
    const named = given.map((g) => /gghouse_(\d{8})/.exec(g!)?.[1]);
    return {
      dumps: given as [string, string],
      dates: [named[0] ?? dates[0], named[1] ?? dates[1]],
      source: `the dumps ${given.join(' and ')}`,
    };
  }
  if (commandBuilt('generate-dump')) {
    for (const [i, d] of dates.entries()) {
      mkdirSync(join(dir, `day-${d}`), { recursive: true });
      const r = await runToEnd(['generate-dump', '--out', dumps[i]!, '--scale', String(scale), '--date', d, '--seed', String(i + 1)]);
      if (r.code !== 0) throw new Error(`generate-dump failed: ${r.stderr}`);
    }
    return { dumps, dates, source: `pipeline generate-dump --scale ${scale}` };
  }
  for (const [i, d] of dates.entries()) {
    mkdirSync(join(dir, `day-${d}`), { recursive: true });
    writeFileSync(dumps[i]!, await mariadbDumpOf(admin, `${prefix}src${i}`, i + 1));
  }
  return { dumps, dates, source: 'mariadb-dump of small tables (generate-dump not built yet)' };
}

/** A real mysqldump of a few small tables, for when generate-dump is not there. */
async function mariadbDumpOf(admin: Db, schema: string, seed: number): Promise<string> {
  await admin.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  try {
    await admin.exec(
      `CREATE TABLE ${qualified(schema, 'tenants')} (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, nationality VARCHAR(40), KEY by_name (name)) DEFAULT CHARSET=utf8mb4`,
    );
    await admin.exec(
      `CREATE TABLE ${qualified(schema, 'movings')} (id INT PRIMARY KEY, tenant_id INT NOT NULL, rent INT, moved_in DATE) DEFAULT CHARSET=utf8mb4`,
    );
    await admin.exec(`CREATE TABLE ${qualified(schema, 'activity_log')} (id INT PRIMARY KEY, body TEXT) DEFAULT CHARSET=utf8mb4`);
    await admin.exec(
      `INSERT INTO ${qualified(schema, 'tenants')} SELECT seq, CONCAT('テナント', seq * ?), IF(seq % 3 = 0, 'Japan', 'Vietnam') FROM ${qualified(schema, 'seq_1_to_2000')}`,
      [seed],
    );
    await admin.exec(
      `INSERT INTO ${qualified(schema, 'movings')} SELECT seq, 1 + seq % 2000, 50000 + seq * ?, '2025-01-01' + INTERVAL (seq % 400) DAY FROM ${qualified(schema, 'seq_1_to_4000')}`,
      [seed],
    );
    await admin.exec(
      `INSERT INTO ${qualified(schema, 'activity_log')} SELECT seq, REPEAT(CONCAT('log line ', seq, ' seed ', ?, ' '), 20) FROM ${qualified(schema, 'seq_1_to_30000')}`,
      [seed],
    );
    const r = spawnSync(
      'mariadb-dump',
      ['-h', admin.settings.host, '-P', String(admin.settings.port), '-u', 'root', '--skip-dump-date', schema],
      { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 },
    );
    if (r.status !== 0) throw new Error(`mariadb-dump failed: ${r.stderr}`);
    return r.stdout;
  } finally {
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(schema)}`);
  }
}

export interface FixtureOptions {
  admin: Db;
  prefix: string;
  scale: number;
  command: RunCommand;
  log?: (line: string) => void;
  /** The project to run (default: RELIABILITY_PROJECT_DIR, else this repository's warehouse). */
  projectDir?: string;
  /** Dumps made already (by another fixture), to reuse. */
  dumps?: Awaited<ReturnType<typeof makeDumps>>;
}

export async function createFixture(o: FixtureOptions): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'tokyobeta-rel-'));
  const targetDir = join(dir, 'target');
  const user = await createPipelineUser(o.admin, o.prefix);
  const outputs: PipelineExit[] = [];
  const fixture: Fixture = {
    command: o.command,
    prefix: o.prefix,
    admin: o.admin,
    user,
    dir,
    targetDir,
    projectDir: o.projectDir ?? process.env.RELIABILITY_PROJECT_DIR ?? ROOT,
    days: undefined as unknown as [Day, Day],
    dumps: undefined as unknown as Fixture['dumps'],
    current: 0,
    outputs,
    dumpSource: '',
    aws: fakeAwsEnv(),
    args(dump, extra = []) {
      return [
        o.command,
        '--dump',
        dump,
        '--schema-prefix',
        o.prefix,
        '--target-dir',
        targetDir,
        '--project-dir',
        fixture.projectDir,
        ...extra,
      ];
    },
    env(extra = {}) {
      return { DATABASE_URL: user.url, PIPELINE_SCHEMA_PREFIX: '', ...fixture.aws, ...extra };
    },
    async dispose() {
      await user.drop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const { dumps, dates, source } = o.dumps ?? (await makeDumps(o.admin, o.prefix, dir, o.scale));
    fixture.dumpSource = source;
    fixture.dumps = { dumps, dates, source };
    const days: Day[] = [];
    for (const i of [0, 1]) {
      o.log?.(`clean run of day ${dates[i]} (${o.command})`);
      const r = await runToEnd(fixture.args(dumps[i]!), { env: fixture.env() });
      outputs.push(r);
      if (r.code !== 0) throw new Error(`the clean ${o.command} run of ${dumps[i]} failed (exit ${r.code}): ${r.stderr.slice(-2000)}`);
      days.push({
        date: dates[i]!,
        dump: dumps[i]!,
        reference: await takeSnapshot(o.admin, o.prefix),
        lines: r.lines,
        seconds: r.ms / 1000,
      });
    }
    fixture.days = days as [Day, Day];
    fixture.current = 1;
  } catch (err) {
    await fixture.dispose();
    throw err;
  }
  return fixture;
}
