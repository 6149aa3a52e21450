/**
 * What every stage action's main.ts does around its command: mask secrets, run the command in a
 * log group, then turn its run_results.json into step outputs, annotations on the model or YAML
 * line that failed, and a job summary written once. A failure sets process.exitCode through
 * core.setFailed; nothing here calls process.exit.
 *
 * The command runs through the same runner as the CLI (runCli, in this process), so an action
 * and `pipeline <command>` always accept the same options and behave the same.
 */
import * as core from '@actions/core';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { runCli } from '../../scripts/cli/main.ts';
import { errorMessage } from '../platform/errors.ts';
import { PIPELINE_RESULTS_FILE, readRunResults, type NodeResult, type RunResults } from '../platform/run-results.ts';
import { ENV } from '../platform/run-context.ts';
import { onSecretRegistered, redact, registerSecretsFromEnv } from '../platform/secrets.ts';
import { booleanInput, databaseUrl, readConnectionInputs, stringInput, type ConnectionInputs } from './action-inputs.ts';
import { failuresSection, isFailure, kindOf, nodeName, statusLine, testCounts } from '../report/sections.ts';
import { STEPS_DIR } from '../report/merge-results.ts';

/** Environment variables the actions read (and nothing below them does): a run's, and the runner's workspace. */
export const ACTION_ENV = { ...ENV, workspace: 'GITHUB_WORKSPACE' } as const;

/** Inputs every stage action has. */
export interface CommonInputs {
  /** Project directory, relative to the workspace. Default `.`. */
  projectDir: string;
  /** Where artifacts go. Default `target` inside the project. */
  targetDir: string;
  schemaPrefix?: string;
  verbose: boolean;
  connection: ConnectionInputs;
}

export function readCommonInputs(): Readonly<CommonInputs> {
  return Object.freeze({
    projectDir: stringInput('project-dir') ?? '.',
    targetDir: stringInput('target-dir') ?? 'target',
    schemaPrefix: stringInput('schema-prefix'),
    verbose: booleanInput('verbose', false),
    connection: readConnectionInputs(),
  });
}

export interface StageOutcome {
  exitCode: number;
  results?: RunResults;
  /** The error lines the command printed, when it failed. */
  errors: string[];
}

/** Options put before the command's own: the project, target and prefix inputs. */
function commonArgs(c: CommonInputs): string[] {
  const args = ['--project-dir', c.projectDir, '--target-dir', c.targetDir];
  if (c.schemaPrefix) args.push('--schema-prefix', c.schemaPrefix);
  if (c.verbose) args.push('--verbose');
  return args;
}

/**
 * Runs `pipeline <argv>` for a stage and reports it to the runner. The job summary of a stage
 * that writes run results is the report action's (status and failures once, in the report);
 * `summary: 'short'` makes the stage write its own (cleanup and rollback, which have no report
 * step). A stage that fails before writing results always says why in the summary.
 */
export interface StageOptions {
  /** Also put what the command printed into the job summary: as Markdown (cleanup's table) or as text in a code block (rollback). */
  printedInSummary?: 'markdown' | 'text';
  /**
   * 'short': the status line and failures; default 'report': nothing unless the stage failed
   * without results; 'quiet': on success only what the step printed, no status line (a step
   * after the report, such as the docs site, whose status the report already gives).
   */
  summary?: 'short' | 'report' | 'quiet';
  /** CLI wording in the printed text and what an Actions user does instead (inputs, not flags). */
  actionsWording?: ReadonlyArray<readonly [string, string]>;
}

export async function runStage(
  stage: string,
  argv: string[],
  options: StageOptions = {},
  env: Record<string, string | undefined> = process.env,
): Promise<StageOutcome> {
  maskSecrets(env);
  let common: Readonly<CommonInputs>;
  let url: string | undefined;
  try {
    common = readCommonInputs();
    url = databaseUrl(common.connection, env[ACTION_ENV.databaseUrl]);
  } catch (err) {
    core.setFailed(errorMessage(err));
    process.exitCode = 2;
    return { exitCode: 2, errors: [errorMessage(err)] };
  }
  const cwd = resolve(env[ACTION_ENV.workspace] ?? process.cwd());
  const projectDir = resolve(cwd, common.projectDir);
  const targetDir = resolve(projectDir, common.targetDir);
  const started = Date.now();
  const errors: string[] = [];
  let printed = '';
  const stderr = {
    write(text: string) {
      process.stderr.write(text);
      for (const line of text.split('\n')) if (/^(error|internal error)/.test(line)) errors.push(line.replace(/^error: /, ''));
    },
  };
  core.startGroup(`pipeline ${stage}`);
  let exitCode: number;
  try {
    exitCode = await runCli([...argv, ...commonArgs(common)], {
      env: { ...env, [ACTION_ENV.databaseUrl]: url },
      stdout: {
        write: (t) => {
          printed += t;
          process.stdout.write(t);
        },
      },
      stderr,
      cwd,
    });
  } finally {
    core.endGroup();
  }
  const results = freshResults(targetDir, started);
  if (results) keepStepCopy(targetDir, stage, started);
  setStageOutputs(exitCode, results, targetDir);
  if (results) annotate(results, relative(cwd, projectDir));
  const quiet = options.summary === 'quiet' && exitCode === 0;
  if (quiet || options.summary === 'short' || !results) {
    for (const [cli, actions] of options.actionsWording ?? []) printed = printed.split(cli).join(actions);
    const extra =
      !printed.trim() || !options.printedInSummary
        ? ''
        : options.printedInSummary === 'markdown'
          ? printed
          : `\`\`\`text\n${printed.replace(/```/g, "'''")}\n\`\`\``;
    // Quiet: what the step printed, without a second status line (the report has the run's).
    if (quiet) {
      if (extra) await writeSummary(`### pipeline ${stage}\n\n${extra.trimEnd()}\n`);
    } else await writeShortSummary(stage, exitCode, results, errors, extra);
  }
  if (exitCode !== 0) {
    core.setFailed(redact(errors.length ? errors.join('\n') : `pipeline ${stage} failed (exit ${exitCode}); see the log above`));
    process.exitCode = exitCode;
  }
  return { exitCode, results, errors };
}

/** The run results written by this step, not a previous one. */
function freshResults(targetDir: string, since: number): RunResults | undefined {
  try {
    const r = readRunResults(targetDir);
    return r && Date.parse(r.metadata.generated_at) >= since - 1000 ? r : undefined;
  } catch {
    return undefined;
  }
}

function keepStepCopy(targetDir: string, stage: string, started: number): void {
  const dir = join(targetDir, STEPS_DIR);
  mkdirSync(dir, { recursive: true });
  const src = join(targetDir, PIPELINE_RESULTS_FILE);
  if (existsSync(src)) copyFileSync(src, join(dir, `${new Date(started).toISOString().replace(/[:.]/g, '-')}-${stage}.json`));
}

export function setStageOutputs(exitCode: number, r: RunResults | undefined, targetDir: string): void {
  const t = testCounts(r?.results ?? []);
  const nodes = (kind: string, ok: (n: NodeResult) => boolean) => (r?.results ?? []).filter((n) => kindOf(n) === kind && ok(n)).length;
  core.setOutput('status', exitCode === 0 ? 'success' : 'failed');
  core.setOutput('exit-code', String(exitCode));
  core.setOutput('models-built', String(nodes('model', (n) => n.status === 'success')));
  core.setOutput('models-failed', String(nodes('model', isFailure)));
  core.setOutput('seeds-loaded', String(nodes('seed', (n) => n.status === 'success')));
  core.setOutput('tests-passed', String(t.pass));
  core.setOutput('tests-warned', String(t.warn));
  core.setOutput('tests-failed', String(t.error));
  core.setOutput('tests-skipped', String(t.skip));
  const loaded = r?.load?.tables.filter((x) => x.status === 'loaded') ?? [];
  core.setOutput('tables-loaded', String(loaded.length));
  core.setOutput('rows-loaded', String(loaded.reduce((a, x) => a + x.rows, 0)));
  core.setOutput('tables-unchanged', String(r?.load?.tables.filter((x) => x.status === 'unchanged').length ?? 0));
  core.setOutput('refused-statements', String(r?.load?.refused.length ?? 0));
  core.setOutput('published', String(r?.publish?.published ?? false));
  core.setOutput('run-results-path', r ? join(targetDir, 'run_results.json') : '');
}

/** Errors and warnings on the file and line that declared the model or test, shown on the PR diff. */
export function annotate(r: RunResults, projectPath: string): void {
  for (const n of r.results) {
    const failed = isFailure(n);
    if (!failed && n.status !== 'warn') continue;
    const rows = kindOf(n) === 'test' && n.failures ? ` (${n.failures} failing row${n.failures === 1 ? '' : 's'})` : '';
    const message = redact(`${kindOf(n)} ${nodeName(n)} ${failed ? 'failed' : 'warned'}${rows}${n.message ? `: ${n.message}` : ''}`);
    const props = n.file
      ? { file: join(projectPath, n.file), startLine: n.line, title: `${kindOf(n)} ${nodeName(n)}` }
      : { title: `${kindOf(n)} ${nodeName(n)}` };
    if (failed) core.error(message, props);
    else core.warning(message, props);
  }
}

async function writeShortSummary(
  stage: string,
  exitCode: number,
  r: RunResults | undefined,
  errors: string[],
  extra: string,
): Promise<void> {
  const body = r
    ? [statusLine(r), failuresSection(r, undefined, true)].filter(Boolean).join('\n\n')
    : `${exitCode === 0 ? '✅ **SUCCESS**' : '❌ **FAILED**'} · \`${stage}\`${errors.length ? `\n\n${errors.map((e) => `- ${e}`).join('\n')}` : ''}`;
  await writeSummary(`### pipeline ${stage}\n\n${body}\n${extra ? `\n${extra.trimEnd()}\n` : ''}`);
}

/** The job summary, written once per step (it is limited to 1 MiB per step). */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(redact(markdown)).write();
  } catch (err) {
    // Outside Actions (no GITHUB_STEP_SUMMARY) there is no summary to write; say so, do not fail the stage.
    core.warning(`job summary not written: ${errorMessage(err)}`);
  }
}

/**
 * The whole of a stage's main.ts: read its own inputs into the command line (a malformed input
 * fails the step with exit 2 and a message naming it), then run the stage.
 */
export async function runAction(stage: string, readArgv: () => string[], options: StageOptions = {}): Promise<StageOutcome> {
  let argv: string[];
  try {
    argv = readArgv();
  } catch (err) {
    core.setFailed(redact(errorMessage(err)));
    process.exitCode = 2;
    return { exitCode: 2, errors: [errorMessage(err)] };
  }
  return runStage(argv[0] ?? stage, argv, options);
}

let masking = false;

/**
 * Every secret the pipeline knows or learns (passwords, AWS and GitHub tokens from the
 * environment, IAM database tokens signed during the run) is masked in the runner's log too.
 */
export function maskSecrets(env: Record<string, string | undefined>): void {
  if (!masking) {
    masking = true;
    onSecretRegistered((s) => core.setSecret(s));
  }
  registerSecretsFromEnv(env);
}
