/**
 * The failure issue of the daily run, through the REST API with @actions/github's Octokit: a
 * failed scheduled run opens one issue "daily ETL failed for YYYY-MM-DD" with the status, the
 * failures and a link to the run, or comments on the one already open (one issue however many
 * days fail); the next successful run (not a dry run) closes it with a comment. GitHub itself
 * mails only whoever last edited the cron line, so this is the notification people can watch.
 */
import { context, getOctokit } from '@actions/github';

export const ISSUE_TITLE_PREFIX = 'daily ETL failed for ';

export type FailureIssueMode = 'off' | 'open' | 'close';

export interface RunOutcome {
  /** success, failed; a dry run is reported as success (it does not close an issue). */
  status: 'success' | 'failed';
  dryRun: boolean;
  /** YYYY-MM-DD: the dump's date, else the day the run started (UTC). */
  date: string;
  /** The report's status line and failures section, as Markdown. */
  statusLine: string;
  failures: string;
}

export function runUrl(): string {
  return `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}${
    context.runAttempt > 1 ? `/attempts/${context.runAttempt}` : ''
  }`;
}

/** What was done, for the log. */
export async function updateFailureIssue(mode: FailureIssueMode, token: string, run: RunOutcome): Promise<string> {
  if (mode === 'off') return 'failure issue: off';
  if (run.status === 'success' && run.dryRun) return 'failure issue: a dry run neither opens nor closes it';
  const octokit = getOctokit(token);
  const { owner, repo } = context.repo;
  const open = (await octokit.rest.issues.listForRepo({ owner, repo, state: 'open', per_page: 100 })).data.filter(
    (i) => !i.pull_request && i.title.startsWith(ISSUE_TITLE_PREFIX),
  );
  const link = runUrl();
  if (run.status === 'success') {
    if (!open.length) return 'failure issue: none open';
    for (const issue of open) {
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: issue.number,
        body: `✅ The run of ${run.date} succeeded: ${link}`,
      });
      await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
    }
    return `failure issue: closed #${open.map((i) => i.number).join(', #')}`;
  }
  if (mode !== 'open') return 'failure issue: only a scheduled run opens it';
  const body = [run.statusLine, run.failures || '_No failure details: see the run._', `Run: ${link}`].join('\n\n');
  const current = open[0];
  if (current) {
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: current.number,
      body: `The run of ${run.date} failed too.\n\n${body}`,
    });
    return `failure issue: commented on #${current.number}`;
  }
  const created = await octokit.rest.issues.create({ owner, repo, title: `${ISSUE_TITLE_PREFIX}${run.date}`, body });
  return `failure issue: opened #${created.data.number}`;
}
