/**
 * The daily schedule through the GitHub API: a rollback cutover disables the daily-etl workflow
 * before the first rename and enables it again once production is whole (actions/rollback/
 * schedule.ts says why). Disabling a workflow stops its schedule and its dispatches; a run that
 * is already going is not cancelled (the workflows' shared concurrency group keeps a rollback
 * from overlapping one). Needs `permissions: actions: write` on the job's GITHUB_TOKEN.
 * https://docs.github.com/en/rest/actions/workflows#disable-a-workflow
 */
import { getOctokit } from '@actions/github';
import { PipelineError } from '../platform/errors.ts';
import type { DailySchedule } from '../rollback/schedule.ts';

export interface WorkflowScheduleOptions {
  token: string;
  /** owner/repo, e.g. from GITHUB_REPOSITORY. */
  repository: string;
  /** The workflow's file name or id. Default daily-etl.yml. */
  workflow?: string;
  /** GITHUB_API_URL (GitHub Enterprise, tests). Default https://api.github.com. */
  baseUrl?: string;
}

export function workflowSchedule(o: WorkflowScheduleOptions): DailySchedule {
  const [owner, repo] = o.repository.split('/');
  if (!owner || !repo)
    throw new PipelineError(`GITHUB_REPOSITORY '${o.repository}' is not owner/repo. To fix this, run inside GitHub Actions.`);
  const workflow_id = o.workflow ?? 'daily-etl.yml';
  const octokit = getOctokit(o.token, o.baseUrl ? { baseUrl: o.baseUrl } : {});
  const name = `workflow ${workflow_id} of ${o.repository}`;
  /** Whether this run found the workflow active (a workflow disabled by hand before stays so). */
  let wasActive = true;

  const fail = (what: string, err: unknown): PipelineError => {
    const status = (err as { status?: number }).status;
    const advice =
      status === 403 || status === 401
        ? "To fix this, give the rollback job 'permissions: actions: write' (and pass github-token)."
        : status === 404
          ? `To fix this, check the workflow file name (${workflow_id}) and the repository.`
          : 'To fix this, run the same command again; it goes on where it stopped.';
    return new PipelineError(`${what} ${name} failed (${status ?? ''} ${(err as Error).message}). ${advice}`, { cause: err });
  };

  return {
    name,
    async pause() {
      try {
        const { data } = await octokit.rest.actions.getWorkflow({ owner, repo, workflow_id });
        wasActive = data.state === 'active';
        if (wasActive) await octokit.rest.actions.disableWorkflow({ owner, repo, workflow_id });
      } catch (err) {
        throw fail('disabling', err);
      }
    },
    async resume() {
      if (!wasActive) return;
      try {
        await octokit.rest.actions.enableWorkflow({ owner, repo, workflow_id });
      } catch (err) {
        throw fail('enabling', err);
      }
    },
  };
}
