/**
 * Node configs, merged the way dbt merges them: the `models:`/`seeds:`/`tests:` tree of
 * pipeline.yml (matched against the node's fqn, keys with or without `+`), then a property file's
 * `config:`, then `config()` inside the model. Tags and meta accumulate; everything else: the most
 * specific setting wins. Unknown keys are kept on the node (a macro may read them with
 * `config.get`, as adapter configs such as `transient` are in dbt) and warned about, since a typo
 * (`+materialised`) would otherwise do nothing unnoticed.
 * https://docs.getdbt.com/reference/define-configs
 */
import type { Location, Problem } from '../../platform/errors.ts';
import { MATERIALIZATIONS, type ResourceType } from './types.ts';

type Kind = Exclude<ResourceType, 'source'>;

const COMMON_KEYS = ['enabled', 'tags', 'schema', 'alias', 'meta', 'docs', 'persist_docs', 'database'] as const;
export const KNOWN_CONFIG_KEYS: Record<Kind, readonly string[]> = {
  model: [
    ...COMMON_KEYS,
    'materialized',
    'unique_key',
    'full_refresh',
    'incremental_strategy',
    'on_schema_change',
    // Snapshots (snapshot.ts).
    'strategy',
    'updated_at',
    'check_cols',
    'hard_deletes',
    'invalidate_hard_deletes',
    'snapshot_meta_column_names',
    'dbt_valid_to_current',
    'target_schema',
    'target_database',
  ],
  seed: [...COMMON_KEYS, 'column_types', 'delimiter', 'quote_columns', 'full_refresh'],
  test: [
    'enabled',
    'tags',
    'meta',
    'severity',
    'warn_if',
    'error_if',
    'where',
    'limit',
    'store_failures',
    'fail_calc',
    'schema',
    'alias',
    'database',
  ],
};
/** Hooks (run by hooks.ts for models, seeds and snapshots); set on a data test they get a warning. */
export const HOOK_KEYS = ['pre-hook', 'post-hook', 'pre_hook', 'post_hook'];
/** Config values that are themselves mappings (so a mapping under them is not a folder). */
const MAPPING_KEYS = new Set(['meta', 'docs', 'persist_docs', 'column_types']);

export type RawConfig = Record<string, unknown>;

export interface ConfigLayer {
  values: RawConfig;
  /** Where these values were written, for problems. */
  where: (key: string) => Location | undefined;
}

/** Collects the config layers of the tree that apply to `fqn` (outermost first). */
export function treeLayers(
  tree: Record<string, unknown>,
  fqn: readonly string[],
  kind: Kind,
  locate: (path: (string | number)[]) => Location,
  rootPath: string,
): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  let node: unknown = tree;
  const path: string[] = [rootPath];
  for (let depth = 0; ; depth++) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) break;
    const values: RawConfig = {};
    for (const [k, v] of Object.entries(node as RawConfig)) {
      const key = k.startsWith('+') ? k.slice(1) : k;
      if (k.startsWith('+') || isConfigValue(kind, key, v)) values[key] = v;
    }
    const here = [...path];
    layers.push({ values, where: (key) => locate([...here, key in (node as RawConfig) ? key : `+${key}`]) });
    const next = fqn[depth];
    if (next === undefined) break;
    const child = (node as RawConfig)[next];
    if (child === undefined || child === null || typeof child !== 'object' || Array.isArray(child)) break;
    path.push(next);
    node = child;
  }
  return layers;
}

function isConfigValue(kind: Kind, key: string, value: unknown): boolean {
  if (!KNOWN_CONFIG_KEYS[kind].includes(key) && !HOOK_KEYS.includes(key)) return false;
  return MAPPING_KEYS.has(key) || value === null || typeof value !== 'object' || Array.isArray(value);
}

/**
 * Every key of the tree that is neither a config nor a folder/name that exists: a typo in a config
 * key (`+materialised`) must not be silently ignored.
 */
export function checkTree(
  tree: Record<string, unknown>,
  kind: Kind,
  knownPaths: ReadonlySet<string>,
  locate: (path: (string | number)[]) => Location,
  rootPath: string,
  problems: Problem[],
  warnings: Problem[],
  label: string = kind,
): void {
  const known = KNOWN_CONFIG_KEYS[kind];
  const walk = (node: RawConfig, path: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      const key = k.startsWith('+') ? k.slice(1) : k;
      const here = [...path, k];
      if (k.startsWith('+') || isConfigValue(kind, key, v)) {
        if (!known.includes(key) && !HOOK_KEYS.includes(key)) {
          warnings.push({
            message: `'${k}' is not a ${label} config this engine knows (${known.join(', ')}); it is kept on the node for macros that read it (config.get).`,
            path: here.join('.'),
            location: locate(here),
          });
        }
        continue;
      }
      const fqnPath = here.slice(1).join('.');
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && knownPaths.has(fqnPath)) {
        walk(v as RawConfig, here);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        // dbt only warns about config paths that match nothing (a folder may be empty for now).
        warnings.push({
          message:
            `'${k}' matches no folder or ${label} of the project (no ${label} path ${fqnPath}); ` +
            `its configs apply to nothing. Known configs: ${known.join(', ')}.`,
          path: here.join('.'),
          location: locate(here),
        });
      } else {
        problems.push({
          message: `unknown ${label} config '${k}'. Known configs: ${known.join(', ')}. To fix this, correct the key, or write a config of an adapter with a leading + (+${k}).`,
          path: here.join('.'),
          location: locate(here),
        });
      }
    }
  };
  walk(tree, [rootPath]);
}

/** Every fqn prefix of a set of nodes, dotted: what a config tree may name. */
export function fqnPrefixes(fqns: Iterable<readonly string[]>): Set<string> {
  const out = new Set<string>();
  for (const fqn of fqns) for (let i = 1; i <= fqn.length; i++) out.add(fqn.slice(0, i).join('.'));
  return out;
}

/** Merges layers (outermost first): tags and meta accumulate, the rest is overridden. */
export function mergeConfig(layers: readonly RawConfig[]): RawConfig {
  const out: RawConfig = {};
  const tags: string[] = [];
  let meta: RawConfig = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (HOOK_KEYS.includes(k)) {
        // Hooks accumulate (dbt_project.yml's first, then the model's), under dbt's dashed names.
        const key = k.replace('_', '-');
        out[key] = [...((out[key] as unknown[]) ?? []), ...(Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v])];
      } else if (k === 'tags') {
        for (const t of Array.isArray(v) ? v : [v]) if (typeof t === 'string' && !tags.includes(t)) tags.push(t);
      } else if (k === 'meta' && v && typeof v === 'object') meta = { ...meta, ...(v as RawConfig) };
      else if (k === 'column_types' && v && typeof v === 'object') out[k] = { ...((out[k] as RawConfig) ?? {}), ...(v as RawConfig) };
      else out[k] = v;
    }
  }
  out.tags = tags;
  out.meta = meta;
  return out;
}

const TEST_HOOKS = 'dbt runs no hooks on data tests (on-run-end runs after them all). To fix this, remove it.';

const hookSet = (v: unknown) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'string' && v.trim() === '');

/**
 * Hooks set on a data test itself (its properties' `config:` or `config()`): dbt runs none, so
 * each gets a warning rather than silently doing nothing. Those of the `tests:` tree are warned
 * about once each by `testTreeHookWarnings`.
 */
export function testHookWarnings(own: RawConfig, label: string, where: (key: string) => Location | undefined): Problem[] {
  return Object.keys(own)
    .filter((key) => HOOK_KEYS.includes(key) && hookSet(own[key]))
    .map((key) => ({ message: `${label}: its ${key} is not run: ${TEST_HOOKS}`, location: where(key) }));
}

/** Hooks in a `tests:` tree (pipeline.yml / dbt_project.yml), one warning for each place. */
export function testTreeHookWarnings(tree: RawConfig, locate: (path: (string | number)[]) => Location, rootPath: string): Problem[] {
  const out: Problem[] = [];
  const walk = (node: RawConfig, path: string[]) => {
    for (const [k, v] of Object.entries(node)) {
      const key = k.startsWith('+') ? k.slice(1) : k;
      if (HOOK_KEYS.includes(key)) {
        if (hookSet(v)) out.push({ message: `${[...path, k].join('.')} is not run: ${TEST_HOOKS}`, location: locate([...path, k]) });
      } else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as RawConfig, [...path, k]);
    }
  };
  walk(tree, [rootPath]);
  return out;
}

/** Checks the known keys' values: problems, each with the location the key came from. */
export function validateConfigValues(
  kind: Kind,
  config: RawConfig,
  where: (key: string) => Location | undefined,
  label: string,
): Problem[] {
  const problems: Problem[] = [];
  const bad = (key: string, expected: string) =>
    problems.push({
      message: `${label}: config '${key}' ${expected}, got ${JSON.stringify(config[key])}. To fix this, correct the value.`,
      location: where(key),
    });
  const v = config;
  if (v.enabled !== undefined && typeof v.enabled !== 'boolean') bad('enabled', 'must be true or false');
  for (const key of ['schema', 'alias'] as const) {
    if (v[key] !== undefined && v[key] !== null && (typeof v[key] !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(v[key] as string))) {
      bad(key, 'must be a name of letters, digits and underscores');
    }
  }
  if (kind === 'model' && v.materialized !== undefined && !MATERIALIZATIONS.includes(v.materialized as never)) {
    bad('materialized', `must be one of ${MATERIALIZATIONS.join(', ')}`);
  }
  if (v.unique_key !== undefined && v.unique_key !== null) {
    const ok = typeof v.unique_key === 'string' || (Array.isArray(v.unique_key) && v.unique_key.every((k) => typeof k === 'string'));
    if (!ok) bad('unique_key', 'must be a column name or a list of column names');
  }
  if (v.column_types !== undefined && (typeof v.column_types !== 'object' || v.column_types === null || Array.isArray(v.column_types))) {
    bad('column_types', 'must be a mapping of column name to SQL type');
  }
  if (v.delimiter !== undefined && (typeof v.delimiter !== 'string' || v.delimiter.length !== 1)) bad('delimiter', 'must be one character');
  if (v.severity !== undefined && !['error', 'warn'].includes(String(v.severity).toLowerCase())) bad('severity', 'must be error or warn');
  if (v.limit !== undefined && v.limit !== null && !(Number.isInteger(v.limit) && (v.limit as number) > 0))
    bad('limit', 'must be a whole number above 0');
  if (
    v.on_schema_change !== undefined &&
    !['ignore', 'append_new_columns', 'sync_all_columns', 'fail'].includes(v.on_schema_change as string)
  ) {
    bad('on_schema_change', 'must be ignore, append_new_columns, sync_all_columns or fail');
  }
  if (v.incremental_strategy !== undefined && !['append', 'delete+insert', 'merge'].includes(v.incremental_strategy as string)) {
    bad('incremental_strategy', 'must be append, delete+insert or merge');
  }
  return problems;
}
