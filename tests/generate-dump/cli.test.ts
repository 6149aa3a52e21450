import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline, runPipelineInProcess } from '../helpers/cli.ts';
import { generateDump } from '../../scripts/generate-dump/generate-dump.ts';
import { PipelineError } from '../../actions/platform/errors.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';

const dir = mkdtempSync(join(tmpdir(), 'gen-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'plain-file'), '');

test('generate-dump creates the directory of --out (a fresh checkout has no target/)', async () => {
  const out = join(dir, 'fresh', 'target', 'gghouse_20260205.sql');
  const r = await runPipelineInProcess(['generate-dump', '--scale', '0.001', '--out', out], {}, dir);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(out));
});

const BAD: Array<[string, string[], RegExp]> = [
  ['a scale of zero', ['--scale', '0'], /--scale '0' is not valid: expected a number greater than 0/],
  ['a negative scale', ['--scale=-0.5'], /--scale '-0.5' is not valid/],
  ['a malformed date', ['--date', '2026-02-05'], /--date '2026-02-05' is not a date: expected YYYYMMDD/],
  ['an impossible date', ['--date', '20260230'], /--date '20260230' is not a date/],
  [
    'a date before the history',
    ['--date', '20180204'],
    /date '20180204' is before the generated history, which starts on 2018-02-05\. To fix this, give a later --date/,
  ],
  [
    'a directory that cannot be created (a file is in the way)',
    ['--out', join(dir, 'plain-file', 'x.sql')],
    /cannot write .*plain-file\/x\.sql \((EEXIST|ENOTDIR)\)\. To fix this, choose --out in a directory you may write to/,
  ],
  ['a path that is a directory', ['--out', dir], /cannot write .*: it is a directory\. To fix this, give --out a file name/],
  ['an unknown flavor', ['--flavor', 'oracle'], /--flavor 'oracle' is not one of: mysql8, mariadb/],
];

for (const [what, args, expected] of BAD) {
  test(`generate-dump with ${what} prints one line, exits 2 and leaves no file`, async () => {
    const cwd = join(dir, what.replace(/\W+/g, '-'));
    mkdirSync(cwd, { recursive: true });
    const r = await runPipelineInProcess(['generate-dump', '--scale', '0.001', ...args], {}, cwd);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.deepEqual(readdirSync(cwd), [], 'no output and no partial file');
  });
}

test('generate-dump writes gghouse_<date>.sql in the current directory by default', async () => {
  const cwd = join(dir, 'default-name');
  mkdirSync(cwd);
  const r = await runPipeline(['generate-dump', '--scale', '0.001', '--date', '20251231'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const file = join(cwd, 'gghouse_20251231.sql');
  assert.equal(r.stdout.trim(), file);
  assert.deepEqual(readdirSync(cwd), ['gghouse_20251231.sql'], 'only the dump, no temporary file');
  assert.match(r.stderr, /wrote .*gghouse_20251231\.sql: 81 tables \(\d+ empty\), [\d,]+ rows/);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^-- MySQL dump 10\.13 {2}Distrib 8\.0\.36/);
  assert.match(text, /-- Host: localhost {4}Database: gghouse\n/);
  assert.match(text, /\n-- Dump completed on 2025-12-31 23:\d\d:\d\d\n$/);
});

test('an aborted run throws a pipeline error and leaves no partial file', async () => {
  const cwd = join(dir, 'aborted');
  mkdirSync(cwd);
  const abort = new AbortController();
  const log = createMemoryLogger();
  const stage = log.stage.bind(log);
  // Abort as soon as the writing stage starts.
  log.stage = (name, fn) => stage(name, name.startsWith('write') ? () => (abort.abort(), fn()) : fn);
  await assert.rejects(
    generateDump({ out: join(cwd, 'x.sql'), scale: 0.01, date: '20260205', seed: 1, signal: abort.signal }, log),
    (err: Error) => err instanceof PipelineError && /interrupted; no file was written/.test(err.message),
  );
  assert.deepEqual(readdirSync(cwd), []);
});
