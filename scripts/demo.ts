/**
 * `npm run demo`: the main job on a generated dump, on whatever MySQL-compatible server answers at
 * DATABASE_URL, or on a private throwaway server started from the machine's own binaries when none
 * does. Every schema gets the prefix `demo_`, so a demo never touches a real warehouse.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from './cli/main.ts';
import { serverAnswers, startLocalServer, type LocalServer } from './local-server.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_URL = 'mysql://root@127.0.0.1:3306';
const PREFIX = process.env.PIPELINE_SCHEMA_PREFIX ?? 'demo_';
const DATE = '20260205';
const targetDir = join(ROOT, 'target');
const dump = join(targetDir, 'demo', `gghouse_${DATE}.sql.gz`);

async function step(label: string, args: string[], env: Record<string, string | undefined>): Promise<'ok' | 'failed'> {
  process.stderr.write(`\n=== ${label}: pipeline ${args.join(' ')}\n`);
  const code = await runCli(args, { env, stdout: process.stdout, stderr: process.stderr, cwd: ROOT });
  return code === 0 ? 'ok' : 'failed';
}

async function main(): Promise<number> {
  let server: LocalServer | undefined;
  let url = process.env.DATABASE_URL || DEFAULT_URL;
  if (!(await serverAnswers(url))) {
    process.stderr.write(`no database answers at ${url.replace(/:[^:@/]*@/, ':***@')}; starting a private one for the demo\n`);
    server = await startLocalServer((l) => process.stderr.write(`${l}\n`));
    url = server.url;
  }
  const env = { ...process.env, DATABASE_URL: url, PIPELINE_SCHEMA_PREFIX: PREFIX };
  mkdirSync(join(targetDir, 'demo'), { recursive: true });
  const results: Array<[string, string]> = [];
  try {
    const steps: Array<[string, string[]]> = [
      ['generate a vendor dump (scale 0.01)', ['generate-dump', '--out', dump, '--scale', '0.01', '--date', DATE, '--seed', '1']],
      ['the daily job: load, seed, build, test, publish, report', ['daily', '--dump', dump]],
      ['inventory of the schemas', ['inventory']],
    ];
    for (const [label, args] of steps) {
      const outcome = await step(label, args, env);
      results.push([label, outcome]);
      if (outcome === 'failed') break;
    }
  } finally {
    await server?.stop();
  }
  process.stderr.write('\n=== demo summary\n');
  for (const [label, outcome] of results) {
    process.stderr.write(`  ${outcome === 'ok' ? 'done  ' : 'FAILED'}  ${label}\n`);
  }
  process.stderr.write(`\nschemas were prefixed '${PREFIX}'. Report: ${join(targetDir, 'report.md')}\n`);
  return results.some(([, o]) => o === 'failed') ? 1 : 0;
}

process.exitCode = await main();
