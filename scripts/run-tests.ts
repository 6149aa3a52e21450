/**
 * `npm test` and `npm run conformance`: every *.test.ts of the suite with node:test through tsx.
 * - `npm test` (the default): every tests/**\/*.test.ts except tests/conformance/ — self-contained,
 *   it passes on a fresh clone with nothing beside it.
 * - `npm run conformance` (`--suite conformance`): tests/conformance/, the suites that read the
 *   reference material in ../shared (real MySQL 8 dumps, dbt packages, dbt's JSON Schemas); it
 *   prints first which of those fixtures it did not find.
 * Files run in parallel processes (each uses its own schemas), so the suite stays well inside CI's
 * time. Other arguments are passed to node's test runner (e.g. a file, or --test-name-pattern).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { missingFixtures, SHARED_DIR } from '../tests/conformance/fixtures.ts';

const CONFORMANCE_DIR = join('tests', 'conformance');

function findTests(dir: string, skip?: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (p === skip) continue;
    if (statSync(p).isDirectory()) out.push(...findTests(p, skip));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

let args = process.argv.slice(2);
const conformance = args.includes('--suite') && args[args.indexOf('--suite') + 1] === 'conformance';
args = args.filter((a, i) => a !== '--suite' && args[i - 1] !== '--suite');
if (conformance) {
  const missing = missingFixtures();
  if (missing.length === 0) console.log(`conformance: every fixture found in ${SHARED_DIR}`);
  else console.log(`conformance: these fixtures were not found; their suites are skipped:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
}
const files = args.some((a) => a.endsWith('.ts')) ? [] : conformance ? findTests(CONFORMANCE_DIR) : findTests('tests', CONFORMANCE_DIR);
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const result = spawnSync(
  process.execPath,
  // --test-force-exit: a file whose tests are done is not kept alive by a leaked handle (a pool
  // left open by a failing test), so a failure reports instead of hanging CI; --test-timeout bounds
  // any single test at 10 minutes.
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-force-exit',
    '--test-timeout=600000',
    '--test-reporter=spec',
    ...args,
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exitCode = result.status ?? 1;
