/**
 * The run context: what a command runs with — the environment read once, the project's
 * configuration, a database connection, the schema names, the run lock and a logger. Built by the
 * CLI's entry (and the report action); commands only call the engine with it. Everything opened
 * here is closed by `dispose`.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { configFileIn, readConfig, type PipelineConfig } from './config.ts';
import { DEFAULT_DATABASE_URL, openDb, parseDatabaseUrl, type Db, type DbSettings, type OpenDbOptions } from './db.ts';
import type { Logger, Sink } from './log.ts';
import { acquireRunLock, type RunLock } from './run-lock.ts';
import { createSchemas, validatePrefix, type Schemas } from './schemas.ts';

/**
 * Environment variables a run reads, by the CLI's entry and the GitHub adapter (which adds the
 * runner's own, `GITHUB_WORKSPACE`); below them the engine gets values, never the environment.
 */
export const ENV = {
  databaseUrl: 'DATABASE_URL',
  schemaPrefix: 'PIPELINE_SCHEMA_PREFIX',
} as const;

export const WAIT_LOCK_SECONDS = 6 * 3600;

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: Sink;
  stderr: Sink;
  cwd: string;
}

export interface CliContext {
  readonly io: CliIo;
  readonly log: Logger;
  readonly projectDir: string;
  /**
   * Where artifacts go: --target-dir, else dbt_project.yml's `target-path` (read on first use),
   * else target/ — each relative to the project directory.
   */
  readonly targetDir: string;
  readonly schemaPrefix: string;
  readonly waitLock: boolean;
  readonly dbSettings: DbSettings;
  /** pipeline.yml, read and validated on first use. */
  config(): PipelineConfig;
  schemas(): Schemas;
  /** The pooled connection, opened on first use. */
  db(options?: OpenDbOptions): Promise<Db>;
  /** Runs `fn` holding the warehouse's run lock, recording the run in the metadata table. */
  withRunLock<T>(command: string, fn: (lock: RunLock) => Promise<T>, dump?: string): Promise<T>;
  /** Prints to stdout (results a user may pipe). */
  print(text: string): void;
  dispose(): Promise<void>;
}

/** The common options a context is built from (the CLI's parsed options carry them by these names). */
export type ContextOptions = Readonly<Record<string, string | boolean | string[] | undefined>>;

export function createContext(io: CliIo, log: Logger, options: ContextOptions): CliContext {
  const projectDir = resolve(io.cwd, (options['project-dir'] as string | undefined) ?? '.');
  const targetOption = options['target-dir'] as string | undefined;
  let targetDir: string | undefined;
  const schemaPrefix = validatePrefix((options['schema-prefix'] as string | undefined) ?? io.env[ENV.schemaPrefix] ?? '');
  const dbSettings = parseDatabaseUrl(io.env[ENV.databaseUrl] || DEFAULT_DATABASE_URL);
  let config: PipelineConfig | undefined;
  let schemas: Schemas | undefined;
  let db: Db | undefined;
  const ctx: CliContext = {
    io,
    log,
    projectDir,
    get targetDir() {
      if (targetDir === undefined) {
        // Without a project file there is no target-path to read (generate-dump, --help).
        const configured = targetOption === undefined && configFileIn(projectDir) !== undefined ? ctx.config().targetPath : undefined;
        targetDir = resolve(projectDir, targetOption ?? configured ?? 'target');
      }
      return targetDir;
    },
    schemaPrefix,
    waitLock: options['wait-lock'] === true,
    dbSettings,
    config: () => (config ??= readConfig(projectDir)),
    schemas: () => (schemas ??= createSchemas(ctx.config(), schemaPrefix, dbSettings.database)),
    async db(openOptions) {
      db ??= await openDb(dbSettings, openOptions);
      return db;
    },
    async withRunLock(command, fn, dump) {
      const lock = await acquireRunLock(await ctx.db(), {
        metaSchema: ctx.schemas().meta,
        command,
        waitSeconds: ctx.waitLock ? WAIT_LOCK_SECONDS : 0,
        host: hostname(),
        pid: process.pid,
        dump,
      });
      try {
        const result = await fn(lock);
        // A command that returns a non-zero exit code (a failing test, a refused dump) did not succeed.
        await lock.release(typeof result === 'number' && result !== 0 ? 'error' : 'success');
        return result;
      } catch (err) {
        await lock.release('error', (err as Error).message?.slice(0, 2000)).catch(() => {});
        throw err;
      }
    },
    print: (text) => io.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    async dispose() {
      await db?.close().catch(() => {});
      db = undefined;
    },
  };
  return ctx;
}
