import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPipeline, runPipelineInProcess } from '../helpers/cli.ts';

/** Every misuse: exit 2 and one clear line on stderr, no stack trace. */
const MISUSES: Array<[string[], RegExp]> = [
  [['lod'], /unknown command 'lod'\. Did you mean 'load'\?/],
  [['--dump', 'x'], /expected a command before '--dump'/],
  [['load', '--foo'], /unknown option '--foo' for 'load'/],
  [['load', '--threads'], /--threads needs a value N/],
  [['load', '--with-routines=yes'], /--with-routines takes no value/],
  [['rollback'], /'rollback' needs ACTION \(status or restore or cutover or abort\)/],
  [['rollback', 'undo'], /'rollback undo' is not known/],
  [['report', 'extra'], /does not take the argument 'extra'/],
  [['generate-dump', '--scale', '0'], /--scale '0' is not valid: expected a number greater than 0/],
  [['generate-dump', '--scale', 'abc'], /--scale 'abc' is not valid/],
  [['generate-dump', '--date', '20261345'], /--date '20261345' is not a date: expected YYYYMMDD/],
  [['generate-dump', '--seed', '1.5'], /--seed '1.5' is not valid: expected a whole number/],
  [['load', '--dump', 'x.sql', '--threads', '0'], /--threads '0' is not valid/],
  [['load', '--dump', 'x.sql', '--date', 'yesterday'], /--date 'yesterday' is not a date/],
  [['seed', '--schema-prefix', 'bad-prefix!'], /schema prefix 'bad-prefix!' is not valid/],
  [['report', '--format', 'pdf'], /--format 'pdf' is not one of: md, json/],
  [['inventory', '--format', 'xml'], /--format 'xml' is not one of: md, json/],
  [['rollback', 'restore', '--to', 'noon'], /--to 'noon' is not an ISO time/],
];

for (const [args, expected] of MISUSES) {
  test(`'pipeline ${args.join(' ')}' prints one clear line and exits 2`, async () => {
    const r = await runPipelineInProcess(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
    assert.equal(r.stderr.trim().split('\n').length, 1, `expected one line, got:\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('a bad DATABASE_URL is a usage error that does not echo the URL', async () => {
  const r = await runPipelineInProcess(['seed'], { DATABASE_URL: 'mysql//root:hunter22@x' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /DATABASE_URL is not a valid URL/);
  assert.doesNotMatch(r.stderr, /hunter22/);
});

test('--help lists every command of the contract and exits 0', async () => {
  const r = await runPipelineInProcess(['--help']);
  assert.equal(r.code, 0);
  for (const c of [
    'generate-dump',
    'load',
    'seed',
    'run',
    'test',
    'build',
    'compile',
    'ls',
    'daily',
    'inventory',
    'cleanup',
    'rollback',
    'report',
  ]) {
    assert.match(r.stdout, new RegExp(`^  ${c} `, 'm'), c);
  }
});

test('no command at all prints the help and exits 2', async () => {
  const r = await runPipelineInProcess([]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /Usage: pipeline <command>/);
});

test('each command has --help with its options and exit codes', async () => {
  for (const c of ['load', 'daily', 'cleanup', 'rollback', 'generate-dump', 'ls']) {
    const r = await runPipelineInProcess([c, '--help']);
    assert.equal(r.code, 0, c);
    assert.match(r.stdout, new RegExp(`^Usage: pipeline ${c}`), c);
    assert.match(r.stdout, /--schema-prefix P/);
    assert.match(r.stdout, /Exit codes: 0 success, 1 the pipeline failed, 2 usage/);
  }
  assert.match((await runPipelineInProcess(['load', '--help'])).stdout, /--dump SOURCE/);
});

test('the real entry point exits 2 on misuse, as a child process', async () => {
  const r = await runPipeline(['load', '--nope']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), "error: unknown option '--nope' for 'load'. Run 'pipeline load --help' for its options.");
});
