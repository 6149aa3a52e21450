/**
 * The CLI starts fast because `--help` and `<command> --help` import neither the database driver
 * nor the AWS SDK nor the engine: a command's modules are imported when it runs (commands/index.ts),
 * the SDK when an AWS client is made. Checked on the modules a real process resolves, so a new
 * static import that drags them back in fails here rather than in a stopwatch.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PIPELINE, ROOT } from '../helpers/cli.ts';

function importsOf(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'startup-'));
  const file = join(dir, 'imports.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(ROOT, 'tests/cli/startup-imports.mjs'), PIPELINE, ...args], {
      cwd: ROOT,
      env: { ...process.env, STARTUP_IMPORTS_FILE: file },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--help and load --help import neither mysql2, nor the AWS SDK, nor the loader', () => {
  for (const args of [['--help'], ['load', '--help'], ['daily', '--help']]) {
    const heavy = importsOf(args).filter((u) =>
      /node_modules\/(mysql2|@aws-sdk|@smithy)\/|actions\/load\/load-dump\.ts|actions\/transform\//.test(u),
    );
    assert.deepEqual(heavy, [], `pipeline ${args.join(' ')}`);
  }
});

test('a local load imports mysql2 but not the AWS SDK', () => {
  const urls = importsOf(['load', '--dump', join(ROOT, 'tests/fixtures/wap-dumps/gghouse_20260205.sql'), '--parse-only']);
  assert.ok(!urls.some((u) => /node_modules\/(@aws-sdk|@smithy)\//.test(u)), urls.filter((u) => /aws|smithy/.test(u)).join('\n'));
});
