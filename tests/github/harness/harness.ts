/**
 * The workflow harness's entry: a repository (GitHub's side: artifacts, caches, run ids) and
 * `runJob`, which runs one job of one workflow for an event the way the runner would. See
 * job-runner.ts for the runner's rules it keeps.
 *
 * `npm ci` is the one step whose real effect needs the npm registry: a stand-in named `npm` on
 * the runner's PATH links this project's node_modules (installed from the same lockfile) into the
 * workspace for `npm ci` and passes every other npm command to the real npm.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli.ts';
import { loadWorkflow } from './definitions.ts';
import type { HarnessRepo, RunOptions } from './harness-types.ts';
import { JobRunner, type JobResult } from './job-runner.ts';

export type { JobResult, StepResult } from './job-runner.ts';

export function createRepo(o: { apiUrl?: string } = {}): HarnessRepo {
  const storeDir = mkdtempSync(join(tmpdir(), 'harness-github-'));
  return {
    owner: 'tokyobeta',
    name: 'pipeline',
    sourceDir: ROOT,
    serverUrl: 'https://github.com',
    apiUrl: o.apiUrl ?? 'http://127.0.0.1:9', // nothing listens there unless a test starts the API stand-in
    token: `ghs_harness${Math.random().toString(36).slice(2)}`,
    artifacts: [],
    caches: [],
    storeDir,
    nextRunId: 1000,
    tempDirs: [storeDir],
  };
}

/** Deletes everything the repository's runs left on disk (workspaces, artifacts, caches). */
export function removeRepo(repo: HarnessRepo): void {
  for (const d of repo.tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

let npmShim: string | undefined;

/** The `npm` stand-in's directory (see above). */
function npmStandIn(): string {
  if (npmShim) return npmShim;
  const dir = mkdtempSync(join(tmpdir(), 'harness-npm-'));
  const realNpm = join(process.execPath, '..', 'npm');
  writeFileSync(
    join(dir, 'npm'),
    `#!/bin/sh
# npm stand-in: npm ci links the node_modules installed from this lockfile (no registry).
if [ "$1" = ci ]; then
  ln -sfn '${join(ROOT, 'node_modules')}' node_modules && echo "added node_modules (harness: linked, same lockfile)"
  exit 0
fi
if [ -x '${realNpm}' ]; then exec '${realNpm}' "$@"; fi
exec npm "$@"
`,
  );
  chmodSync(join(dir, 'npm'), 0o755);
  return (npmShim = dir);
}

export interface JobRequest extends Partial<Omit<RunOptions, 'event'>> {
  event: RunOptions['event'];
}

export async function runJob(repo: HarnessRepo, workflowFile: string, jobId: string, request: JobRequest): Promise<JobResult> {
  const wf = await loadWorkflow(repo.sourceDir, workflowFile);
  const job = wf.jobs.get(jobId);
  if (!job) throw new Error(`${workflowFile} has no job ${jobId}`);
  const runId = request.runId ?? repo.nextRunId++;
  const options: RunOptions = {
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    runAttempt: 1,
    vars: {},
    secrets: {},
    node: process.execPath,
    aws: { accessKeyId: 'none', secretAccessKey: 'none', endpoints: {} },
    ...request,
    runId,
    machineEnv: request.machineEnv ?? {},
  };
  const result = await new JobRunner(repo, wf, job, options, [npmStandIn()]).run();
  // HARNESS_LOG_DIR=DIR keeps every job's whole log (the tests show only its end on failure).
  if (process.env.HARNESS_LOG_DIR) {
    mkdirSync(process.env.HARNESS_LOG_DIR, { recursive: true });
    writeFileSync(join(process.env.HARNESS_LOG_DIR, `${workflowFile}-${jobId}-${runId}-${options.runAttempt}.log`), result.log);
  }
  return result;
}
