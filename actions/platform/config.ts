/**
 * pipeline.yml (or, where a directory has none, dbt_project.yml): read once, validated up front,
 * frozen. `readConfig` does the I/O; `validateConfig` does none and returns every problem at once,
 * each with the file, line and dotted field path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { ConfigError, UsageError, type Problem } from './errors.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';

export type ConfigTree = Record<string, unknown>;

export interface PipelineConfig {
  /** Absolute path of the file read. */
  readonly file: string;
  readonly kind: 'pipeline' | 'dbt';
  readonly name: string;
  /** Default schema of models that set no `+schema`. Default: `name`. */
  readonly schema: string;
  readonly staging: {
    /** Schema the dump is loaded into. Default `staging`. */
    readonly schema: string;
    /** Load connections. Default: chosen by the loader from the server. */
    readonly threads?: number;
    /** Default dump source (file, s3://bucket/key or s3://bucket/prefix/). */
    readonly dump?: string;
  };
  /** Schema of the pipeline's own metadata (runs, content hashes). Default `pipeline_meta`. */
  readonly metaSchema: string;
  /** Schema where `store_failures` keeps failing rows. Default `pipeline_audit`. */
  readonly auditSchema: string;
  readonly modelPaths: readonly string[];
  readonly seedPaths: readonly string[];
  readonly testPaths: readonly string[];
  readonly macroPaths: readonly string[];
  /** dbt's analyses: SQL compiled into target/compiled/ by `compile`, never run. Default `analyses`. */
  readonly analysisPaths: readonly string[];
  /** dbt's snapshot-paths: folders of `{% snapshot %}` files and snapshot property files. Default `snapshots`. */
  readonly snapshotPaths: readonly string[];
  /**
   * dbt's docs-paths: the folders searched for `{% docs %}` blocks. Default: every resource path
   * (model, seed, snapshot, analysis, macro and test paths), as dbt.
   */
  readonly docsPaths: readonly string[];
  /** dbt's target-path (deprecated by dbt, still honoured): artifacts' folder when no --target-dir is given. */
  readonly targetPath?: string;
  /** dbt's on-run-start / on-run-end hooks (SQL, rendered when they run), in order. */
  readonly onRunStart: readonly string[];
  readonly onRunEnd: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly models: ConfigTree;
  readonly seeds: ConfigTree;
  /** dbt's `snapshots:` tree (the snapshots' configs, hooks included). */
  readonly snapshots: ConfigTree;
  readonly tests: ConfigTree;
  readonly rollback: { readonly cluster?: string; readonly region?: string };
  /** Legacy schemas that `cleanup` may drop, each with the reason. */
  readonly cleanup: { readonly legacy: Readonly<Record<string, string>> };
  /** dbt's `dispatch:`: the packages searched, in order, for a macro namespace's implementations. */
  readonly dispatch: readonly { readonly macro_namespace: string; readonly search_order: readonly string[] }[];
  /** Where `deps` installs packages and where they are read from. Default `dbt_packages`. */
  readonly packagesInstallPath: string;
  /** What dbt only warns about (deprecated keys): accepted and honoured, reported as warnings. */
  readonly warnings: readonly Problem[];
  /** Where each top-level field was written, for later problems (project validation). */
  readonly source: YamlSource;
}

const PIPELINE_KEYS = [
  'name',
  'schema',
  'staging',
  'meta-schema',
  'audit-schema',
  'model-paths',
  'seed-paths',
  'test-paths',
  'macro-paths',
  'analysis-paths',
  'snapshot-paths',
  'docs-paths',
  'packages-install-path',
  'on-run-start',
  'on-run-end',
  'vars',
  'models',
  'seeds',
  'snapshots',
  'tests',
  'data_tests',
  'rollback',
  'cleanup',
  'version',
] as const;

/**
 * dbt_project.yml fields that mean nothing here; accepted so an existing dbt project runs as is.
 * https://docs.getdbt.com/reference/dbt_project.yml
 */
const DBT_IGNORED_KEYS = [
  'dbt-cloud',
  'unit_tests',
  'config-version',
  'profile',
  'require-dbt-version',
  'quoting',
  'dispatch',
  'flags',
  'query-comment',
  'sources',
  'metrics',
  'semantic-models',
  'saved-queries',
  'exposures',
  'analyses',
  'restrict-access',
] as const;

/**
 * dbt_project.yml fields dbt acts on and this pipeline cannot: accepted, each with a warning that
 * says so (never silently ignored).
 */
const DBT_WARNED_KEYS: Record<string, string> = {
  'asset-paths':
    "'asset-paths' is not used: dbt copies these folders beside its docs site, but this pipeline's site (target/docs/index.html) is one self-contained file that loads no files or images. To fix this, remove 'asset-paths' (link to assets by their full URL instead).",
  'clean-targets':
    "'clean-targets' is not used: it lists the folders `dbt clean` deletes, and this pipeline has no clean command (`pipeline cleanup` drops legacy schemas, not folders). To fix this, remove 'clean-targets' and delete those folders yourself (rm -rf target dbt_packages).",
  'log-path':
    "'log-path' is not used: this pipeline writes no log file (its log goes to stderr, its results to target/run_results.json). To fix this, remove 'log-path' and redirect the output instead (pipeline build 2>> logs/pipeline.log).",
};

/** Deprecated dbt keys, honoured as the key that replaced them (dbt warns about them too). */
const DEPRECATED_KEYS: Record<string, string> = {
  'source-paths': 'model-paths',
  'data-paths': 'seed-paths',
  'modules-path': 'packages-install-path',
};

export const IDENTIFIER = /^[A-Za-z0-9_]{1,48}$/;

/** The project file of a directory (pipeline.yml, else dbt_project.yml), if it has one. */
export function configFileIn(projectDir: string): string | undefined {
  return ['pipeline.yml', 'dbt_project.yml'].map((name) => join(projectDir, name)).find((file) => existsSync(file));
}

export function findConfigFile(projectDir: string): string {
  const file = configFileIn(projectDir);
  if (file) return file;
  throw new UsageError(
    `no pipeline.yml or dbt_project.yml in ${projectDir}. To fix this, run from the project's directory or pass --project-dir DIR.`,
  );
}

export function readConfig(projectDir: string): PipelineConfig {
  const file = findConfigFile(projectDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}. To fix this, check that the file is readable by this user.`);
  }
  const source = parseYaml(text, file);
  const kind = file.endsWith('dbt_project.yml') ? 'dbt' : 'pipeline';
  const result = validateConfig(source, kind);
  if (result.problems.length > 0) throw new ConfigError(result.problems);
  return result.config!;
}

export function validateConfig(source: YamlSource, kind: 'pipeline' | 'dbt'): { config?: PipelineConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (path: (string | number)[], message: string) =>
    problems.push({ message, path: path.join('.'), location: source.locate(path) });

  const raw = source.value;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ message: 'expected a mapping of settings (name: ..., schema: ...)', location: { file: source.file, line: 1 } });
    return { problems };
  }
  const top = { ...(raw as Record<string, unknown>) };
  const dbtOnly = kind === 'dbt' ? [...DBT_IGNORED_KEYS, ...Object.keys(DBT_WARNED_KEYS), 'target-path'] : [];
  const allowed = new Set<string>([...PIPELINE_KEYS, ...dbtOnly, ...Object.keys(DEPRECATED_KEYS)]);
  for (const key of Object.keys(top)) {
    if (!allowed.has(key)) {
      problem([key], `unknown field '${key}'. Known fields: ${[...PIPELINE_KEYS].join(', ')}.`);
    }
  }
  const warnings: Problem[] = [];
  for (const [old, current] of Object.entries(DEPRECATED_KEYS)) {
    if (top[old] === undefined) continue;
    if (top[current] !== undefined) {
      problem([old], `'${old}' and '${current}' are both set. To fix this, keep only '${current}' ('${old}' is deprecated).`);
      continue;
    }
    warnings.push({
      message: `'${old}' is deprecated; it is read as '${current}'. To fix this, rename the key to '${current}'.`,
      path: old,
      location: source.locate([old]),
    });
    top[current] = top[old];
  }
  if (kind === 'dbt') {
    for (const [key, message] of Object.entries(DBT_WARNED_KEYS)) {
      if (top[key] !== undefined) warnings.push({ message, path: key, location: source.locate([key]) });
    }
    if (top['target-path'] !== undefined) {
      warnings.push({
        message:
          "'target-path' is deprecated by dbt (1.5+); it is honoured: artifacts go there unless --target-dir is given. To fix this, remove it and pass --target-dir DIR.",
        path: 'target-path',
        location: source.locate(['target-path']),
      });
    }
  }

  const str = (path: (string | number)[], value: unknown, opts: { required?: boolean; identifier?: boolean } = {}) => {
    if (value === undefined || value === null) {
      if (opts.required) problem(path, 'is required: expected a string');
      return undefined;
    }
    if (typeof value !== 'string' || value.length === 0) {
      problem(path, `expected a non-empty string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (opts.identifier && !IDENTIFIER.test(value)) {
      problem(path, `expected a schema name of letters, digits and underscores (at most 48), got '${value}'`);
      return undefined;
    }
    return value;
  };
  const mapping = (path: (string | number)[], value: unknown): Record<string, unknown> => {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      problem(path, 'expected a mapping (key: value lines)');
      return {};
    }
    return value as Record<string, unknown>;
  };
  const runHooks = (key: string): string[] => {
    const v = top[key];
    const list = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v];
    if (list.some((h) => typeof h !== 'string')) {
      problem([key], 'expected SQL, or a list of SQL statements (each rendered with Jinja when it runs)');
      return [];
    }
    return list as string[];
  };
  const paths = (key: string, fallback: string[]): string[] => {
    const v = top[key];
    if (v === undefined || v === null) return fallback;
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) {
      problem([key], `expected a list of directories, e.g. [${fallback.join(', ') || 'assets'}]`);
      return fallback;
    }
    // dbt reads these relative to the project file (its docs: "avoid absolute paths").
    v.forEach((p: string, i) => {
      if (isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) {
        problem(
          [key, i],
          `expected a folder relative to the project file, got the absolute path '${p}'. To fix this, write it relative to the project's directory.`,
        );
      }
    });
    return v as string[];
  };
  const onlyKeys = (path: string[], value: Record<string, unknown>, keys: string[]) => {
    for (const k of Object.keys(value)) {
      if (!keys.includes(k)) problem([...path, k], `unknown field '${k}'. Known fields: ${keys.join(', ')}.`);
    }
  };

  const modelPaths = paths('model-paths', ['models']);
  const seedPaths = paths('seed-paths', ['seeds']);
  const testPaths = paths('test-paths', ['tests']);
  const macroPaths = paths('macro-paths', ['macros']);
  const analysisPaths = paths('analysis-paths', ['analyses']);
  const snapshotPaths = paths('snapshot-paths', ['snapshots']);
  // dbt: snapshots and models cannot share a folder (a .sql file would be read as both).
  for (const [i, p] of snapshotPaths.entries()) {
    const shared = modelPaths.find((m) => overlaps(m, p));
    if (shared !== undefined) {
      problem(
        ['snapshot-paths', i],
        `'${p}' is also in model-paths ('${shared}'): a .sql file there would be read both as a model and as a snapshot. To fix this, keep snapshot files in a folder of their own (YAML snapshots may be defined in the models' property files).`,
      );
    }
  }

  const name = str(['name'], top.name, { required: true, identifier: true }) ?? 'project';
  const schema = str(['schema'], top.schema, { identifier: true }) ?? name;

  const stagingRaw = mapping(['staging'], top.staging);
  onlyKeys(['staging'], stagingRaw, ['schema', 'threads', 'dump']);
  const stagingSchema = str(['staging', 'schema'], stagingRaw.schema, { identifier: true }) ?? 'staging';
  let threads: number | undefined;
  if (stagingRaw.threads !== undefined) {
    if (!Number.isInteger(stagingRaw.threads) || (stagingRaw.threads as number) < 1 || (stagingRaw.threads as number) > 64) {
      problem(['staging', 'threads'], `expected a whole number from 1 to 64, got ${JSON.stringify(stagingRaw.threads)}`);
    } else threads = stagingRaw.threads as number;
  }
  const dump = str(['staging', 'dump'], stagingRaw.dump);

  const rollbackRaw = mapping(['rollback'], top.rollback);
  onlyKeys(['rollback'], rollbackRaw, ['cluster', 'region']);
  const cleanupRaw = mapping(['cleanup'], top.cleanup);
  onlyKeys(['cleanup'], cleanupRaw, ['legacy']);
  const legacyRaw = mapping(['cleanup', 'legacy'], cleanupRaw.legacy);
  const legacy: Record<string, string> = {};
  for (const [schemaName, reason] of Object.entries(legacyRaw)) {
    if (typeof reason !== 'string' || reason.trim() === '') {
      problem(['cleanup', 'legacy', schemaName], 'expected the reason this schema is legacy, as text');
    } else legacy[schemaName] = reason;
  }

  const varsRaw = mapping(['vars'], top.vars);
  const models = mapping(['models'], top.models);
  const seeds = mapping(['seeds'], top.seeds);
  const snapshots = mapping(['snapshots'], top.snapshots);
  const tests = mapping([top.data_tests !== undefined ? 'data_tests' : 'tests'], top.data_tests ?? top.tests);

  const dispatch: { macro_namespace: string; search_order: string[] }[] = [];
  if (top.dispatch !== undefined && top.dispatch !== null) {
    if (!Array.isArray(top.dispatch)) problem(['dispatch'], 'expected a list of {macro_namespace: ..., search_order: [...]}');
    else
      top.dispatch.forEach((d, i) => {
        const entry = (d ?? {}) as Record<string, unknown>;
        const order = entry.search_order;
        if (typeof entry.macro_namespace !== 'string' || !Array.isArray(order) || order.some((p) => typeof p !== 'string')) {
          problem(['dispatch', i], 'expected macro_namespace: <package> and search_order: [<package>, ...]');
        } else dispatch.push({ macro_namespace: entry.macro_namespace, search_order: order as string[] });
      });
  }

  const config: PipelineConfig = {
    file: source.file,
    kind,
    name,
    schema,
    staging: { schema: stagingSchema, threads, dump },
    metaSchema: str(['meta-schema'], top['meta-schema'], { identifier: true }) ?? 'pipeline_meta',
    auditSchema: str(['audit-schema'], top['audit-schema'], { identifier: true }) ?? 'pipeline_audit',
    modelPaths,
    seedPaths,
    testPaths,
    macroPaths,
    analysisPaths,
    snapshotPaths,
    docsPaths: paths('docs-paths', [
      ...new Set([...modelPaths, ...seedPaths, ...snapshotPaths, ...analysisPaths, ...macroPaths, ...testPaths]),
    ]),
    targetPath: kind === 'dbt' ? str(['target-path'], top['target-path']) : undefined,
    onRunStart: runHooks('on-run-start'),
    onRunEnd: runHooks('on-run-end'),
    vars: varsRaw,
    models,
    seeds,
    snapshots,
    tests,
    rollback: {
      cluster: str(['rollback', 'cluster'], rollbackRaw.cluster),
      region: str(['rollback', 'region'], rollbackRaw.region),
    },
    cleanup: { legacy },
    dispatch,
    packagesInstallPath: str(['packages-install-path'], top['packages-install-path']) ?? 'dbt_packages',
    warnings,
    source,
  };
  return { config: deepFreeze(config), problems };
}

/** Whether two project folders are the same or one holds the other. */
function overlaps(a: string, b: string): boolean {
  const norm = (p: string) => `${normalize(p).replaceAll('\\', '/').replace(/\/+$/, '')}/`;
  const [x, y] = [norm(a), norm(b)];
  return x === './' || y === './' || x.startsWith(y) || y.startsWith(x);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) {
      if (v && typeof v === 'object' && typeof v !== 'function') deepFreeze(v);
    }
  }
  return value;
}
