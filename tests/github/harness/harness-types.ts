/**
 * GitHub's side of the harness (what outlives one job: artifacts, caches, the repository) and the
 * options of one run.
 */

export interface Artifact {
  runId: number;
  name: string;
  dir: string;
  retentionDays: number;
}

export interface CacheEntry {
  key: string;
  /** The ref whose run saved it: a pull request may restore what its base branch saved. */
  ref: string;
  dir: string;
  /** Paths as given to the action, relative to the workspace. */
  paths: string[];
  created: number;
}

export interface HarnessRepo {
  owner: string;
  name: string;
  /** Where the checkout stand-in copies the sources from (the project's working tree). */
  sourceDir: string;
  serverUrl: string;
  apiUrl: string;
  token: string;
  artifacts: Artifact[];
  caches: CacheEntry[];
  /** Where artifacts and caches are kept. */
  storeDir: string;
  nextRunId: number;
  /** Every directory the runs made (runner homes, workspaces): removeRepo deletes them. */
  tempDirs: string[];
}

export interface RunOptions {
  event: {
    name: 'schedule' | 'workflow_dispatch' | 'push' | 'pull_request';
    payload: Record<string, unknown>;
    /** workflow_dispatch: the typed inputs (booleans as booleans), defaults already applied. */
    inputs?: Record<string, string | boolean>;
  };
  ref: string;
  sha: string;
  runId: number;
  runAttempt: number;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  /** Variables of the runner machine (e.g. PIPELINE_SCHEMA_PREFIX, so a test run keeps to its schemas). */
  machineEnv: Record<string, string>;
  /** The node binary that runs JavaScript actions (the runner's node24) and is on PATH. */
  node: string;
  /** What configure-aws-credentials hands out, and the local endpoints the SDK is pointed at. */
  aws: { accessKeyId: string; secretAccessKey: string; endpoints: Record<string, string> };
  /** Files changed in the checkout (a pull request's change), relative to the repository. */
  changes?: Record<string, string>;
  needs?: Record<string, unknown>;
  /** Run in this directory instead of a fresh workspace (a single action step in the project itself). */
  workspace?: string;
}
