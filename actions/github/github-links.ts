/**
 * Report links for a run in GitHub Actions, from @actions/github's context: blob URLs pinned to
 * the commit the job checked out. On a pull request that is the head of the pull request, not
 * GITHUB_SHA (a temporary merge commit whose links stop working once the PR is merged or closed).
 * Only action entry points call this; the CLI uses linksFromEnv.
 */
import { context } from '@actions/github';
import type { SourceLinks } from '../report/links.ts';

export function linksFromGithubContext(): SourceLinks | undefined {
  if (!process.env.GITHUB_REPOSITORY) return undefined;
  const headSha = (context.payload.pull_request as { head?: { sha?: string } } | undefined)?.head?.sha;
  const sha = headSha ?? context.sha;
  if (!context.serverUrl || !sha) return undefined;
  return Object.freeze({ serverUrl: context.serverUrl, repository: `${context.repo.owner}/${context.repo.repo}`, sha });
}
