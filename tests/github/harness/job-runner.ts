/**
 * Runs one workflow job the way a GitHub-hosted Ubuntu runner does, on this machine:
 * - `run:` steps: the script in a file under RUNNER_TEMP, run by `bash --noprofile --norc -eo
 *   pipefail FILE` (the runner's default shell on Linux; `shell: sh` is `sh -e FILE`), where
 *   /bin/sh is dash as on Ubuntu (checked: a harness on another shell would hide the bug it is
 *   here to catch);
 * - local actions by their action.yml: a JavaScript action is node on its `main:` with an
 *   INPUT_<NAME> variable for every declared input (hyphens kept, the default when not given),
 *   passed straight to the process; a composite action step by step;
 * - third-party actions: named stand-ins (stand-ins.ts) that do their effect locally;
 * - `${{ }}` by GitHub's expression engine over the github, env, vars, secrets, inputs, steps,
 *   runner and job contexts; `if:` with the job-status functions;
 * - GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY, RUNNER_TEMP and the event
 *   payload file; workflow commands on stdout (::add-mask::, ::error::, ::warning::, ::group::).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { loadAction, type JobDef, type StepDef, type WorkflowDef } from './definitions.ts';
import { asString, evaluateCondition, evaluateStringMap, evaluateToken, type Contexts, type Status } from './expressions.ts';
import { createStepFiles, readStepFiles, type StepFiles } from './runner-files.ts';
import type { HarnessRepo, RunOptions } from './harness-types.ts';
import { STAND_INS } from './stand-ins.ts';

export interface StepResult {
  id: string;
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  exitCode?: number;
  /** What the step printed, secrets masked as the runner's log shows it. */
  log: string;
  /** What the step printed, unmasked (what a test checks the step itself masked). */
  rawLog: string;
}

export interface JobResult {
  conclusion: 'success' | 'failure';
  steps: StepResult[];
  /** The job summary: every step's GITHUB_STEP_SUMMARY, in order. */
  summary: string;
  /** The job's log as the runner shows it (secrets masked). */
  log: string;
  annotations: Array<{ level: 'error' | 'warning' | 'notice'; message: string }>;
  workspace: string;
  step(idOrName: string): StepResult;
}

/** The job's state while it runs. */
interface JobState {
  workspace: string;
  runnerTemp: string;
  fileCommands: string;
  /** Variables written to GITHUB_ENV by earlier steps. */
  env: Record<string, string>;
  /** Directories written to GITHUB_PATH (the last one first). */
  paths: string[];
  masks: Set<string>;
  summary: string;
  log: string[];
  annotations: JobResult['annotations'];
  status: Status;
  stepNumber: number;
}

export function checkBinShIsDash(): void {
  const target = readlinkSync('/bin/sh');
  if (!/dash$/.test(target)) throw new Error(`/bin/sh is ${target}, not dash: the harness must run where the runner's shell rules hold`);
}

function mask(state: JobState, text: string): string {
  let out = text;
  for (const m of [...state.masks].sort((a, b) => b.length - a.length)) if (m.length >= 3) out = out.split(m).join('***');
  return out;
}

/** Workflow commands in a step's stdout, processed as the runner does. */
function processCommands(state: JobState, text: string): void {
  for (const line of text.split('\n')) {
    const m = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
    if (!m) continue;
    const value = m[3]!.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
    if (m[1] === 'add-mask') state.masks.add(value);
    else if (m[1] === 'error' || m[1] === 'warning' || m[1] === 'notice')
      state.annotations.push({ level: m[1], message: mask(state, value) });
  }
}

function spawnStep(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

export class JobRunner {
  private readonly state: JobState;
  private readonly base: Record<string, string>;
  private readonly github: Record<string, unknown>;
  private readonly repo: HarnessRepo;
  private readonly wf: WorkflowDef;
  private readonly job: JobDef;
  private readonly o: RunOptions;

  constructor(
    repo: HarnessRepo,
    wf: WorkflowDef,
    job: JobDef,
    o: RunOptions,
    /** Directories of the runner image's tools put first on PATH (the npm stand-in). */
    toolDirs: string[] = [],
  ) {
    this.repo = repo;
    this.wf = wf;
    this.job = job;
    this.o = o;
    checkBinShIsDash();
    const home = mkdtempSync(join(tmpdir(), 'harness-runner-'));
    repo.tempDirs.push(home);
    const workspace = o.workspace ?? join(home, 'work', repo.name, repo.name);
    const runnerTemp = join(home, 'temp');
    const fileCommands = join(runnerTemp, '_runner_file_commands');
    for (const d of [workspace, runnerTemp, fileCommands, join(home, 'tool-cache'), join(home, 'tmp')]) mkdirSync(d, { recursive: true });
    const eventPath = join(home, 'event.json');
    writeFileSync(eventPath, JSON.stringify(o.event.payload));
    const runId = o.runId;
    const eventName = o.event.name;
    this.github = {
      event_name: eventName,
      event: o.event.payload,
      event_path: eventPath,
      repository: `${repo.owner}/${repo.name}`,
      repository_owner: repo.owner,
      ref: o.ref,
      ref_name: o.ref.replace(/^refs\/(heads|tags)\//, ''),
      sha: o.sha,
      run_id: String(runId),
      run_number: String(runId),
      run_attempt: String(o.runAttempt),
      workflow: wf.file.replace(/\.yml$/, ''),
      job: job.id,
      actor: 'harness',
      server_url: repo.serverUrl,
      api_url: repo.apiUrl,
      graphql_url: `${repo.apiUrl}/graphql`,
      workspace,
      token: repo.token,
      base_ref: eventName === 'pull_request' ? 'main' : '',
      head_ref: eventName === 'pull_request' ? 'feature' : '',
    };
    // The runner machine's environment: what the image has (PATH without this project's
    // node_modules/.bin, so nothing finds tsx unless npm ci put it there), then the runner's own.
    const machinePath = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((p) => p && !p.includes('node_modules'))
      .join(delimiter);
    this.base = {
      PATH: [...toolDirs, dirname(o.node), machinePath].join(delimiter),
      HOME: home,
      LANG: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'harness',
      RUNNER_TEMP: runnerTemp,
      // A hosted runner is a fresh machine: its /tmp is its own (and other tests' temporary files are not).
      TMPDIR: join(home, 'tmp'),
      RUNNER_TOOL_CACHE: join(home, 'tool-cache'),
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: `${repo.owner}/${repo.name}`,
      GITHUB_REPOSITORY_OWNER: repo.owner,
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_NUMBER: String(runId),
      GITHUB_RUN_ATTEMPT: String(o.runAttempt),
      GITHUB_SHA: o.sha,
      GITHUB_REF: o.ref,
      GITHUB_REF_NAME: String(this.github.ref_name),
      GITHUB_SERVER_URL: repo.serverUrl,
      GITHUB_API_URL: repo.apiUrl,
      GITHUB_GRAPHQL_URL: `${repo.apiUrl}/graphql`,
      GITHUB_WORKFLOW: String(this.github.workflow),
      GITHUB_JOB: job.id,
      GITHUB_ACTOR: 'harness',
      ...o.machineEnv,
    };
    this.state = {
      workspace,
      runnerTemp,
      fileCommands,
      env: {},
      paths: [],
      masks: new Set(Object.values(o.secrets).filter(Boolean)),
      summary: '',
      log: [],
      annotations: [],
      status: { failed: false },
      stepNumber: 0,
    };
  }

  private contexts(extra: { steps: Record<string, unknown>; inputs?: Record<string, unknown>; env: Record<string, string> }): Contexts {
    const dispatch = this.o.event.name === 'workflow_dispatch' ? (this.o.event.inputs ?? {}) : {};
    return {
      github: this.github,
      env: extra.env,
      vars: this.o.vars,
      secrets: { GITHUB_TOKEN: this.repo.token, ...this.o.secrets },
      inputs: extra.inputs ?? dispatch,
      steps: extra.steps,
      runner: { os: 'Linux', arch: 'X64', temp: this.state.runnerTemp, tool_cache: this.base.RUNNER_TOOL_CACHE },
      job: { status: this.state.status.failed ? 'failure' : 'success' },
      needs: this.o.needs ?? {},
      matrix: {},
      strategy: {},
    };
  }

  async run(): Promise<JobResult> {
    const steps: StepResult[] = [];
    const stepsContext: Record<string, unknown> = {};
    let env: Record<string, string> = {};
    env = { ...evaluateStringMap(this.wf.env, this.contexts({ steps: {}, env })) };
    env = { ...env, ...evaluateStringMap(this.job.env, this.contexts({ steps: {}, env })) };
    const jobIf = evaluateCondition(this.job.if, this.contexts({ steps: {}, env }), this.state.status);
    if (jobIf) {
      for (const step of this.job.steps) {
        const r = await this.runStep(step, stepsContext, env, undefined);
        steps.push(r);
        if (step.declaredId) stepsContext[step.declaredId] = { outputs: r.outputs, outcome: r.outcome, conclusion: r.conclusion };
      }
    }
    const log = this.state.log.join('\n');
    return {
      conclusion: this.state.status.failed ? 'failure' : 'success',
      steps,
      summary: this.state.summary,
      log,
      annotations: this.state.annotations,
      workspace: this.state.workspace,
      step(idOrName) {
        const s = steps.find((x) => x.id === idOrName || x.name === idOrName);
        if (!s) throw new Error(`no step '${idOrName}' (steps: ${steps.map((x) => x.name).join(', ')})`);
        return s;
      },
    };
  }

  /** One step; `action` is set inside a composite action (its inputs and action path). */
  private async runStep(
    step: StepDef,
    stepsContext: Record<string, unknown>,
    scopeEnv: Record<string, string>,
    action: { inputs: Record<string, string>; path: string } | undefined,
  ): Promise<StepResult> {
    const name = step.name ?? step.uses ?? 'Run';
    const envNow = { ...scopeEnv, ...this.state.env };
    const ctx = this.contexts({ steps: stepsContext, inputs: action?.inputs, env: envNow });
    const result: StepResult = {
      id: step.declaredId ?? step.id,
      name,
      outcome: 'skipped',
      conclusion: 'skipped',
      outputs: {},
      log: '',
      rawLog: '',
    };
    if (!evaluateCondition(step.if, ctx, this.state.status)) {
      this.state.log.push(`##[skipped] ${name}`);
      return result;
    }
    const stepEnv = { ...envNow, ...evaluateStringMap(step.env, { ...ctx, env: envNow }) };
    const files = createStepFiles(this.state.fileCommands, ++this.state.stepNumber);
    const processEnv: Record<string, string> = {
      ...this.base,
      PATH: [...this.state.paths, this.base.PATH].join(delimiter),
      ...stepEnv,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      GITHUB_ACTION: step.id,
      ...(action ? { GITHUB_ACTION_PATH: action.path } : {}),
    };
    let code = 0;
    let out = '';
    try {
      if (step.run) {
        code = await this.runScript(step, ctx, processEnv, (o) => (out += o));
      } else if (step.uses?.startsWith('./')) {
        const withValues = evaluateStringMap(step.with, ctx, this.state.status);
        code = await this.runLocalAction(join(this.state.workspace, step.uses), withValues, processEnv, (o) => (out += o));
      } else if (step.uses) {
        code = await this.runStandIn(step, ctx, processEnv, files, (o) => (out += o));
      }
    } catch (err) {
      out += `##[error]${(err as Error).message}\n`;
      this.state.annotations.push({ level: 'error', message: (err as Error).message });
      code = 1;
    }
    const written = readStepFiles(files);
    Object.assign(this.state.env, written.env);
    this.state.paths.unshift(...written.paths.reverse());
    this.state.summary += written.summary;
    result.outputs = written.outputs;
    result.exitCode = code;
    result.outcome = code === 0 ? 'success' : 'failure';
    result.conclusion = code === 0 || step.continueOnError ? 'success' : 'failure';
    if (result.conclusion === 'failure') this.state.status.failed = true;
    processCommands(this.state, out);
    result.log = mask(this.state, out);
    result.rawLog = out;
    this.state.log.push(`##[group]${name}`, result.log, `##[endgroup] ${result.outcome} (exit ${code})`);
    return result;
  }

  private async runScript(step: StepDef, ctx: Contexts, env: Record<string, string>, write: (s: string) => void): Promise<number> {
    const script = asString(evaluateToken(step.run, ctx, this.state.status));
    const shell = step.shell ?? 'bash';
    const file = join(this.state.runnerTemp, `${randomUUID()}.sh`);
    writeFileSync(file, script);
    const [command, args] =
      shell === 'bash'
        ? ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', file]]
        : shell === 'sh'
          ? ['sh', ['-e', file]]
          : [undefined, []];
    if (!command) throw new Error(`the harness runs shell bash or sh, not '${shell}'`);
    const cwd = step.workingDirectory
      ? resolve(this.state.workspace, asString(evaluateToken(step.workingDirectory, ctx)))
      : this.state.workspace;
    const r = await spawnStep(command, args as string[], env, cwd);
    write(r.stdout + r.stderr);
    return r.code;
  }

  /** A local action by its action.yml. */
  private async runLocalAction(
    dir: string,
    withValues: Record<string, string>,
    env: Record<string, string>,
    write: (s: string) => void,
  ): Promise<number> {
    const def = loadAction(dir);
    const declared = new Map((def.template.inputs ?? []).map((i) => [i.id, i]));
    const unexpected = Object.keys(withValues).filter((k) => !declared.has(k));
    if (unexpected.length) {
      const message = `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${[...declared.keys()].join("', '")}']`;
      this.state.annotations.push({ level: 'warning', message });
      write(`##[warning]${message}\n`);
    }
    const inputs: Record<string, string> = {};
    for (const [id, input] of declared) {
      const given = withValues[id];
      inputs[id] = given ?? asString(evaluateToken(input.default, this.contexts({ steps: {}, env })));
      if (input.required && inputs[id] === '') throw new Error(`Input required and not supplied: ${id}`);
    }
    const runs = def.template.runs;
    if (runs.using === 'node24' || runs.using === 'node20') {
      const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]));
      const r = await spawnStep(this.o.node, [join(dir, runs.main)], { ...env, ...inputEnv }, this.state.workspace);
      write(r.stdout + r.stderr);
      return r.code;
    }
    if (runs.using === 'composite') {
      const stepsContext: Record<string, unknown> = {};
      const scope = Object.fromEntries(Object.entries(env).filter(([k]) => !(k in this.base) && !k.startsWith('GITHUB_')));
      let failed = false;
      for (const step of def.steps) {
        const r = await this.runStep(step, stepsContext, scope, { inputs, path: dir });
        write(r.log);
        if (step.declaredId) stepsContext[step.declaredId] = { outputs: r.outputs, outcome: r.outcome, conclusion: r.conclusion };
        if (r.conclusion === 'failure') failed = true;
      }
      for (const [name, token] of def.outputValues) {
        const value = asString(evaluateToken(token, this.contexts({ steps: stepsContext, inputs, env })));
        writeFileSync(env.GITHUB_OUTPUT!, `${name}<<EOF_HARNESS\n${value}\nEOF_HARNESS\n`, { flag: 'a' });
      }
      return failed ? 1 : 0;
    }
    throw new Error(`${dir}: the harness runs node24 and composite actions, not ${runs.using}`);
  }

  private async runStandIn(
    step: StepDef,
    ctx: Contexts,
    env: Record<string, string>,
    files: StepFiles,
    write: (s: string) => void,
  ): Promise<number> {
    const [path, ref = ''] = step.uses!.split('@');
    const standIn = STAND_INS[path!];
    if (!standIn) throw new Error(`no stand-in for ${step.uses}: add one to tests/github/harness/stand-ins.ts`);
    if (!/^[0-9a-f]{40}$/.test(ref)) throw new Error(`${step.uses}: third-party actions are pinned to a full commit SHA, not '${ref}'`);
    await standIn({
      inputs: evaluateStringMap(step.with, ctx, this.state.status),
      env,
      files,
      workspace: this.state.workspace,
      repo: this.repo,
      run: this.o,
      job: this.job,
      write,
    });
    return 0;
  }
}
