/**
 * The bad-input matrix (quick tier): every case ends with its expected exit code and error lines
 * that say what is wrong and where, with no stack trace and no password. Cases whose command is
 * not built yet are skipped, and say so.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cliCases, projectCases, runBadInput } from '../../scripts/reliability/bad-input.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix, TEST_DATABASE_URL } from '../helpers/db.ts';

const prefix = testPrefix('relinput');

after(async () => {
  const db = await openTestDb(1);
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
});

for (const c of [...cliCases(TEST_DATABASE_URL), ...projectCases()]) {
  test(`bad input: ${c.name} → exit ${c.codes.join('/')}, one clear error`, async (t) => {
    const o = await runBadInput(c, { url: TEST_DATABASE_URL, prefix });
    if (!o.injected) return t.skip(o.checks.join('; '));
    assert.deepEqual(o.problems, [], `${o.errorLine}`);
  });
}

test('the mini project, unbroken, builds with exit 0 (so each error above comes from its one breakage)', async () => {
  const { runCli } = await import('../../scripts/cli/main.ts');
  const { MINI_PROJECT } = await import('../../scripts/reliability/bad-input.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  let stderr = '';
  const code = await runCli(
    [
      'build',
      '--project-dir',
      MINI_PROJECT,
      '--schema-prefix',
      prefix,
      '--target-dir',
      join(mkdtempSync(join(tmpdir(), 't-rel-')), 'target'),
    ],
    {
      env: { DATABASE_URL: TEST_DATABASE_URL },
      stdout: { write: () => {} },
      stderr: { write: (t) => void (stderr += t) },
      cwd: MINI_PROJECT,
    },
  );
  assert.equal(code, 0, stderr);
});
