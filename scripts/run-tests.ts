/**
 * `npm test`: every tests/**\/*.test.ts with node:test through tsx. Files run in parallel
 * processes (each uses its own schemas), so the suite stays well inside CI's time.
 * Extra arguments are passed to node's test runner (e.g. a file, or --test-name-pattern).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const files = args.some((a) => a.endsWith('.ts')) ? [] : findTests('tests');
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const result = spawnSync(
  process.execPath,
  // --test-force-exit: a file whose tests are done is not kept alive by a leaked handle (a pool
  // left open by a failing test), so a failure reports instead of hanging CI; --test-timeout bounds
  // any single test at 10 minutes.
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-force-exit', '--test-timeout=600000', '--test-reporter=spec', ...args, ...files],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
