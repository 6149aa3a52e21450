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
