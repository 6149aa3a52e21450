/**
 * Links from the report to the file and line that declared a model or test. On GitHub they are
 * blob URLs pinned to the commit of the run; elsewhere, paths relative to the project.
 */
export interface SourceLinks {
  /** e.g. https://github.com (GITHUB_SERVER_URL). */
  serverUrl?: string;
  /** owner/name (GITHUB_REPOSITORY). */
  repository?: string;
  /** The commit of the run (GITHUB_SHA). */
  sha?: string;
}

/** The link target of `file` (relative to the repository root) at `line`. */
export function fileLink(links: SourceLinks | undefined, file: string, line?: number): string {
  const path = file.replace(/\\/g, '/').replace(/^\.\//, '');
  if (links?.serverUrl && links.repository && links.sha) {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${links.serverUrl.replace(/\/$/, '')}/${links.repository}/blob/${links.sha}/${encoded}${line ? `#L${line}` : ''}`;
  }
  return path;
}

/** `[file:line](target)` */
export function fileMarkdownLink(links: SourceLinks | undefined, file: string, line?: number): string {
  const label = line ? `${file}:${line}` : file;
  return `[${label.replace(/[[\]]/g, '')}](${fileLink(links, file, line).replace(/ /g, '%20').replace(/\)/g, '%29')})`;
}

/** The GitHub variables the links use: read by entry points only, passed to the engine as values. */
export const LINK_ENV = { serverUrl: 'GITHUB_SERVER_URL', repository: 'GITHUB_REPOSITORY', sha: 'GITHUB_SHA' } as const;

export function linksFromEnv(env: Record<string, string | undefined>): SourceLinks | undefined {
  const links = { serverUrl: env[LINK_ENV.serverUrl], repository: env[LINK_ENV.repository], sha: env[LINK_ENV.sha] };
  return links.serverUrl && links.repository && links.sha ? Object.freeze(links) : undefined;
}
