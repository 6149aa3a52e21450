/**
 * The bad-input matrix beyond tests/cli/usage.test.ts: CLI misuse that reaches the database or the
 * file system, a broken DATABASE_URL, and a small project broken one way at a time (pipeline.yml,
 * model YAML, CSV, a model's SQL, a cycle, an unknown ref). Each case runs the real CLI in this
 * process and must end with the expected exit code and error lines that start with `error:`, name
 * the file (and line) at fault, and carry no stack trace.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/main.ts';
import { firstErrorLine, newOutcome, type Outcome } from './outcome.ts';
import { ROOT } from './pipeline-process.ts';

export const MINI_PROJECT = join(ROOT, 'tests', 'reliability', 'fixtures', 'mini-project');

export interface BadInputCase {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** Files of the mini project to overwrite (path relative to the project: new content). */
  project?: Record<string, string>;
  /** Accepted exit codes (1: failed while running, 2: usage or project error). */
  codes: number[];
  /** What the error must mention (the file, the line, the offending name). */
  mentions: RegExp[];
  /** Text that must not appear (a password). */
  never?: string[];
}

const DUMP = '/nonexistent/gghouse_20260205.sql';

/** CLI misuse and environment errors not in tests/cli/usage.test.ts. */
export function cliCases(adminUrl: string): BadInputCase[] {
  const u = new URL(adminUrl);
  const wrongPw = `${u.protocol}//${u.username || 'root'}:NotThePassw0rd@${u.host}`;
  return [
    { name: 'load of a file that does not exist', args: ['load', '--dump', DUMP], codes: [1, 2], mentions: [/gghouse_20260205\.sql/] },
    { name: 'daily of a file that does not exist', args: ['daily', '--dump', DUMP], codes: [1, 2], mentions: [/gghouse_20260205\.sql/] },
    {
      name: 'daily with a date in the wrong format',
      args: ['daily', '--dump', DUMP, '--date', '2026-02-05'],
      codes: [2],
      mentions: [/--date/],
    },
    { name: 'load of a malformed S3 URL', args: ['load', '--dump', 's3://'], codes: [1, 2], mentions: [/s3:\/\//] },
    { name: 'load with too many threads', args: ['load', '--dump', DUMP, '--threads', '65'], codes: [2], mentions: [/--threads/] },
    {
      name: 'a project directory that does not exist',
      args: ['build', '--project-dir', '/nonexistent/project'],
      codes: [2],
      mentions: [/\/nonexistent\/project/],
    },
    { name: 'rollback restore without --to or --latest', args: ['rollback', 'restore'], codes: [2], mentions: [/--to|--latest/] },
    {
      name: 'rollback restore with both --to and --latest',
      args: ['rollback', 'restore', '--latest', '--to', '2026-02-05T00:00:00Z'],
      codes: [2],
      mentions: [/--to|--latest/],
    },
    { name: '--select without a value', args: ['run', '--select'], codes: [2], mentions: [/--select/] },
    {
      name: 'generate-dump to an unwritable path',
      args: ['generate-dump', '--out', '/proc/t-rel/gghouse_20260205.sql', '--scale', '0.001'],
      codes: [2],
      mentions: [/\/proc\/t-rel/],
    },
    { name: 'a schema prefix too long', args: ['seed', '--schema-prefix', 'a'.repeat(25)], codes: [2], mentions: [/prefix/] },
    {
      name: 'PIPELINE_SCHEMA_PREFIX not valid',
      args: ['seed'],
      env: { PIPELINE_SCHEMA_PREFIX: 'bad prefix' },
      codes: [2],
      mentions: [/prefix 'bad prefix'/],
    },
    {
      name: 'DATABASE_URL of another database kind',
      args: ['seed'],
      env: { DATABASE_URL: 'postgres://u@127.0.0.1/db' },
      codes: [2],
      mentions: [/mysql:\/\//],
    },
    {
      name: 'DATABASE_URL with an unknown ssl mode',
      args: ['seed'],
      env: { DATABASE_URL: 'mysql://root@127.0.0.1:3306?ssl=maybe' },
      codes: [2],
      mentions: [/ssl=maybe/],
    },
    {
      name: 'DATABASE_URL without TLS to a remote host',
      args: ['seed'],
      env: { DATABASE_URL: 'mysql://root@db.example.com:3306?ssl=off' },
      codes: [2],
      mentions: [/TLS/],
    },
    {
      name: 'DATABASE_URL where no server answers',
      args: ['seed', '--project-dir', MINI_PROJECT],
      env: { DATABASE_URL: 'mysql://root@127.0.0.1:1' },
      codes: [1],
      mentions: [/cannot reach/],
    },
    {
      name: 'DATABASE_URL with a wrong password',
      args: ['seed', '--project-dir', MINI_PROJECT],
      env: { DATABASE_URL: wrongPw },
      codes: [1],
      mentions: [/refused the user or password/],
      never: ['NotThePassw0rd'],
    },
  ];
}

/** The mini project broken one way at a time. */
export function projectCases(): BadInputCase[] {
  const build = ['build'];
  return [
    {
      name: 'pipeline.yml that is not YAML',
      args: build,
      project: { 'pipeline.yml': 'name: mini\nmodels: [unclosed\n  seeds: {\n' },
      codes: [2],
      mentions: [/pipeline\.yml:\d+/],
    },
    {
      name: 'pipeline.yml with an unknown key',
      args: build,
      project: { 'pipeline.yml': 'name: mini\nmodel-paths: [models]\nseed-paths: [seeds]\nmaterialise: table\n' },
      codes: [2],
      mentions: [/pipeline\.yml:4/, /materialise/],
    },
    {
      name: 'pipeline.yml with a list where a name belongs',
      args: build,
      project: { 'pipeline.yml': 'name: [mini]\nmodel-paths: [models]\n' },
      codes: [2],
      mentions: [/pipeline\.yml:1/],
    },
    {
      name: 'model YAML that is not YAML',
      args: build,
      project: { 'models/schema.yml': 'version: 2\nmodels:\n  - name: code_summary\n   columns: [\n' },
      codes: [2],
      mentions: [/schema\.yml:\d+/],
    },
    {
      name: 'model YAML with a test that does not exist',
      args: build,
      project: {
        'models/schema.yml': 'version: 2\nmodels:\n  - name: code_summary\n    columns:\n      - name: n\n        tests: [not_nul]\n',
      },
      codes: [2],
      mentions: [/schema\.yml:\d+/, /not_nul/],
    },
    {
      name: 'CSV with a row of the wrong width',
      args: build,
      project: { 'seeds/codes.csv': 'code,label\n1,apartment\n2,share house,extra\n' },
      codes: [1, 2],
      mentions: [/codes\.csv:3/],
    },
    {
      name: 'CSV with an unclosed quote',
      args: build,
      project: { 'seeds/codes.csv': 'code,label\n1,"apartment\n2,share house\n' },
      codes: [1, 2],
      mentions: [/codes\.csv/],
    },
    {
      name: 'a model whose SQL the server rejects',
      args: build,
      project: { 'models/code_labels.sql': "select code, no_such_column from {{ ref('codes') }}\n" },
      codes: [1],
      mentions: [/code_labels/, /no_such_column/],
    },
    {
      name: 'a cycle between two models',
      args: build,
      project: {
        'models/code_summary.sql': "select * from {{ ref('code_labels') }}\n",
        'models/code_labels.sql': "select * from {{ ref('code_summary') }}\n",
      },
      codes: [2],
      mentions: [/cycle/i, /code_summary/, /code_labels/],
    },
    {
      name: 'a ref to a model that does not exist',
      args: build,
      project: { 'models/code_summary.sql': "select * from {{ ref('code_lables') }}\n" },
      codes: [2],
      mentions: [/code_summary/, /code_lables/],
    },
    {
      name: 'a template that does not parse',
      args: build,
      project: { 'models/code_summary.sql': "select 1 as n\n{{ ref('codes' }}\n" },
      codes: [2],
      mentions: [/code_summary\.sql/],
    },
    {
      name: 'an unknown materialization',
      args: build,
      project: { 'models/code_summary.sql': "{{ config(materialized='tabel') }}\nselect 1 as n\n" },
      codes: [2],
      mentions: [/tabel/],
    },
  ];
}

async function runInProcess(
  args: string[],
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { env, stdout: { write: (t) => void (stdout += t) }, stderr: { write: (t) => void (stderr += t) }, cwd });
  return { code, stdout, stderr };
}

/** Runs one case; a command not built yet is reported as not tried. */
export async function runBadInput(c: BadInputCase, base: { url: string; prefix: string }): Promise<Outcome> {
  const o = newOutcome('bad input', c.name);
  const started = Date.now();
  let dir: string | undefined;
  try {
    let args = c.args;
    if (c.project) {
      dir = mkdtempSync(join(tmpdir(), 't-rel-project-'));
      cpSync(MINI_PROJECT, dir, { recursive: true });
      for (const [file, text] of Object.entries(c.project)) writeFileSync(join(dir, file), text);
      args = [...args, '--project-dir', dir, '--schema-prefix', base.prefix, '--target-dir', join(dir, 'target')];
    }
    const r = await runInProcess(args, { DATABASE_URL: base.url, ...c.env }, dir ?? MINI_PROJECT);
    o.exitCode = r.code;
    o.errorLine = firstErrorLine(r.stderr);
    if (/not implemented yet/.test(r.stderr)) {
      o.injected = false;
      o.checks.push(`not tried: '${c.args[0]}' is not built yet`);
      return o;
    }
    if (!c.codes.includes(r.code)) o.problems.push(`exit ${r.code}, expected ${c.codes.join(' or ')}`);
    const errorText = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('error:'))
      .join('\n');
    if (!errorText) o.problems.push(`no "error: ..." line; stderr was: ${r.stderr.slice(0, 200)}`);
    if (/internal error/.test(r.stderr)) o.problems.push('an internal error (a bug) instead of an explained one');
    if (/\n\s+at .+:\d+:\d+/.test(r.stderr)) o.problems.push('a stack trace');
    for (const m of c.mentions) if (!m.test(errorText.split(dir ?? '\0').join(''))) o.problems.push(`the error does not mention ${m}`);
    for (const s of c.never ?? []) if (r.stderr.includes(s) || r.stdout.includes(s)) o.problems.push(`the output shows '${s}'`);
    if (!o.problems.length) o.checks.push(`exit ${r.code}; the error names what and where`);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
    o.ms = Date.now() - started;
  }
  return o;
}
