/**
 * Stand-ins for the third-party actions the workflows use, by name. Each does its effect locally
 * and keeps the rules of the real action that the workflows depend on:
 * - actions/checkout: copies the project's files (tracked and not ignored; no target/, no
 *   node_modules) into the workspace; unless persist-credentials is false, leaves the token in
 *   .git/config as the real one does.
 * - actions/setup-node: the node-version must be a version; node is already first on PATH.
 * - aws-actions/configure-aws-credentials: a role and a region are required, role-duration-seconds
 *   between 900 and 43200; exports credentials for the local S3 server and the endpoints.
 * - actions/upload-artifact (v4): a name already uploaded in the same workflow run is refused (a
 *   re-run attempt keeps the run id), retention-days between 1 and 90.
 * - actions/upload-pages-artifact: the path must be a directory holding index.html; stored as the
 *   run's `github-pages` artifact (name and retention as the real action's defaults: 1 day).
 * - actions/deploy-pages: needs the job's `pages: write` and `id-token: write` and the run's
 *   `github-pages` artifact; sets page_url.
 * - actions/download-artifact, actions/cache/restore, actions/cache/save: from the harness's store;
 *   a pull request restores caches saved on its base branch.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { JobDef } from './definitions.ts';
import type { HarnessRepo, RunOptions } from './harness-types.ts';
import type { StepFiles } from './runner-files.ts';

export interface StandInCall {
  inputs: Record<string, string>;
  env: Record<string, string>;
  files: StepFiles;
  workspace: string;
  repo: HarnessRepo;
  run: RunOptions;
  job: JobDef;
  write(text: string): void;
}

export type StandIn = (call: StandInCall) => Promise<void> | void;

function setOutput(call: StandInCall, name: string, value: string): void {
  writeFileSync(call.files.output, `${name}<<EOF_STANDIN\n${value}\nEOF_STANDIN\n`, { flag: 'a' });
}

function exportVariable(call: StandInCall, name: string, value: string): void {
  writeFileSync(call.files.env, `${name}<<EOF_STANDIN\n${value}\nEOF_STANDIN\n`, { flag: 'a' });
}

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The repository's files: tracked and not ignored ones in a git checkout, else every file. */
function sourceFiles(dir: string): string[] {
  if (!existsSync(join(dir, '.git')))
    return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile());
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: dir })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
}

const checkout: StandIn = (call) => {
  const files = sourceFiles(call.repo.sourceDir);
  for (const f of files) {
    const from = join(call.repo.sourceDir, f);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(call.workspace, f)), { recursive: true });
    cpSync(from, join(call.workspace, f));
  }
  for (const [f, content] of Object.entries(call.run.changes ?? {})) writeFileSync(join(call.workspace, f), content);
  mkdirSync(join(call.workspace, '.git'), { recursive: true });
  const persist = call.inputs['persist-credentials'] !== 'false';
  writeFileSync(
    join(call.workspace, '.git', 'config'),
    persist
      ? `[http "${call.repo.serverUrl}/"]\n\textraheader = AUTHORIZATION: basic ${Buffer.from(`x-access-token:${call.repo.token}`).toString('base64')}\n`
      : '[core]\n\trepositoryformatversion = 0\n',
  );
  call.write(`checked out ${files.length} files at ${call.run.sha}\n`);
};

const setupNode: StandIn = (call) => {
  const v = call.inputs['node-version'] ?? '';
  if (!/^\d+(\.\d+){0,2}$|^lts\//.test(v)) throw new Error(`setup-node: node-version '${v}' is not a version`);
  call.write(`node ${v} (the harness's node is first on PATH)\n`);
};

const configureAwsCredentials: StandIn = (call) => {
  const role = call.inputs['role-to-assume'] ?? '';
  const region = call.inputs['aws-region'] ?? '';
  if (!region) throw new Error('Input required and not supplied: aws-region');
  if (!role) throw new Error('Credentials could not be loaded, please check your action inputs: role-to-assume is empty');
  const duration = Number(call.inputs['role-duration-seconds'] || 3600);
  if (!(duration >= 900 && duration <= 43200)) throw new Error(`role-duration-seconds ${duration} is outside 900..43200`);
  const a = call.run.aws;
  const vars: Record<string, string> = {
    AWS_ACCESS_KEY_ID: a.accessKeyId,
    AWS_SECRET_ACCESS_KEY: a.secretAccessKey,
    AWS_SESSION_TOKEN: `session-of-${role.split('/').pop()}`,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    ...a.endpoints,
  };
  for (const [k, v] of Object.entries(vars)) exportVariable(call, k, v);
  writeFileSync(call.files.output, '', { flag: 'a' });
  call.write(`::add-mask::${vars.AWS_SECRET_ACCESS_KEY}\n::add-mask::${vars.AWS_SESSION_TOKEN}\nassumed ${role} for ${duration} s\n`);
};

function copyPaths(from: string, paths: string[], to: string, onMissing: (p: string) => void): number {
  let n = 0;
  for (const p of paths) {
    const src = resolve(from, p);
    if (!existsSync(src)) {
      onMissing(p);
      continue;
    }
    const dest = join(to, relative(from, src));
    mkdirSync(dirname(dest), { recursive: true });
    cpSync(src, dest, { recursive: true });
    n++;
  }
  return n;
}

const uploadArtifact: StandIn = (call) => {
  const name = call.inputs.name || 'artifact';
  const retention = Number(call.inputs['retention-days'] || 90);
  if (!(Number.isInteger(retention) && retention >= 1 && retention <= 90)) throw new Error(`retention-days ${retention} is outside 1..90`);
  if (call.repo.artifacts.some((a) => a.runId === call.run.runId && a.name === name) && call.inputs.overwrite !== 'true') {
    throw new Error(
      `Failed to CreateArtifact: Received non-retryable error: (409) Conflict: an artifact with this name already exists on the workflow run`,
    );
  }
  const dir = mkdtempSync(join(call.repo.storeDir, 'artifact-'));
  const missing: string[] = [];
  const n = copyPaths(call.workspace, lines(call.inputs.path), dir, (p) => missing.push(p));
  if (n === 0) {
    const how = call.inputs['if-no-files-found'] || 'warn';
    if (how === 'error') throw new Error(`No files were found with the provided path: ${call.inputs.path}`);
    if (how === 'warn')
      call.write(
        `::warning::No files were found with the provided path: ${lines(call.inputs.path).join(', ')}. No artifacts will be uploaded.\n`,
      );
    return;
  }
  call.repo.artifacts.push({ runId: call.run.runId, name, dir, retentionDays: retention });
  call.write(`uploaded artifact ${name} (${n} paths, kept ${retention} days)\n`);
};

const downloadArtifact: StandIn = (call) => {
  const runId = Number(call.inputs['run-id'] || call.run.runId);
  const a = call.repo.artifacts.filter((x) => x.runId === runId && x.name === call.inputs.name).at(-1);
  if (!a) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${call.inputs.name}`);
  cpSync(a.dir, resolve(call.workspace, call.inputs.path || '.'), { recursive: true });
};

/** GitHub: a run may restore the caches of its own ref and of the default branch (a pull request's base). */
function cacheScope(call: StandInCall): string[] {
  return [call.run.ref, 'refs/heads/main'];
}

const cacheRestore: StandIn = (call) => {
  const key = call.inputs.key ?? '';
  if (!key) throw new Error('Input required and not supplied: key');
  const scope = cacheScope(call);
  const candidates = call.repo.caches.filter((c) => scope.includes(c.ref)).sort((a, b) => b.created - a.created);
  let hit = candidates.find((c) => c.key === key);
  let exact = Boolean(hit);
  if (!hit) {
    for (const prefix of lines(call.inputs['restore-keys'])) {
      hit = candidates.find((c) => c.key.startsWith(prefix));
      if (hit) break;
    }
    exact = false;
  }
  setOutput(call, 'cache-hit', String(exact));
  if (!hit) {
    call.write(`Cache not found for input keys: ${[key, ...lines(call.inputs['restore-keys'])].join(', ')}\n`);
    return;
  }
  cpSync(hit.dir, call.workspace, { recursive: true });
  setOutput(call, 'cache-matched-key', hit.key);
  setOutput(call, 'cache-primary-key', key);
  call.write(`Cache restored from key: ${hit.key}\n`);
};

const cacheSave: StandIn = (call) => {
  const key = call.inputs.key ?? '';
  if (!key) throw new Error('Input required and not supplied: key');
  if (call.repo.caches.some((c) => c.key === key && c.ref === call.run.ref)) {
    call.write(`::warning::Failed to save: Unable to reserve cache with key ${key}, another job may be creating this cache.\n`);
    return;
  }
  const dir = mkdtempSync(join(call.repo.storeDir, 'cache-'));
  const paths = lines(call.inputs.path);
  const n = copyPaths(call.workspace, paths, dir, () => {});
  if (n === 0) {
    call.write(
      `::warning::Path Validation Error: Path(s) specified in the action for caching do(es) not exist, hence no cache is being saved.\n`,
    );
    return;
  }
  call.repo.caches.push({ key, ref: call.run.ref, dir, paths, created: call.repo.caches.length + Date.now() });
  call.write(`Cache saved with key: ${key}\n`);
};

const uploadPagesArtifact: StandIn = (call) => {
  const path = resolve(call.workspace, call.inputs.path || '_site');
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new Error(`tar: ${call.inputs.path}: Cannot open: No such file or directory`);
  if (!existsSync(join(path, 'index.html'))) call.write('::warning::the Pages artifact has no index.html at its root\n');
  const name = call.inputs.name || 'github-pages';
  const retention = Number(call.inputs['retention-days'] || 1);
  const dir = mkdtempSync(join(call.repo.storeDir, 'pages-'));
  cpSync(path, dir, { recursive: true });
  call.repo.artifacts.push({ runId: call.run.runId, name, dir, retentionDays: retention });
  call.write(`uploaded the Pages artifact ${name}\n`);
};

const deployPages: StandIn = (call) => {
  const permissions = (call.job as { permissions?: Record<string, string> }).permissions ?? {};
  if (permissions.pages !== 'write' || permissions['id-token'] !== 'write')
    throw new Error('Ensure GITHUB_TOKEN has permission "id-token: write" and "pages: write".');
  const name = call.inputs['artifact-name'] || 'github-pages';
  if (!call.repo.artifacts.some((a) => a.runId === call.run.runId && a.name === name))
    throw new Error(`Fetching artifact metadata failed. Is the artifact ${name} uploaded in this workflow run?`);
  setOutput(call, 'page_url', 'https://example.github.io/warehouse/');
  call.write('Reported success!\n');
};

export const STAND_INS: Record<string, StandIn> = {
  'actions/upload-pages-artifact': uploadPagesArtifact,
  'actions/deploy-pages': deployPages,
  'actions/checkout': checkout,
  'actions/setup-node': setupNode,
  'aws-actions/configure-aws-credentials': configureAwsCredentials,
  'actions/upload-artifact': uploadArtifact,
  'actions/download-artifact': downloadArtifact,
  'actions/cache/restore': cacheRestore,
  'actions/cache/save': cacheSave,
};
