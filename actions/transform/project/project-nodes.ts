/**
 * Building the nodes of a project from its files, without I/O: models and singular tests are
 * compiled and rendered once in "parse" mode (refs, sources, config() and the macros they call are
 * recorded, as dbt's parser does), seeds get their merged config, sources come from property
 * files. Problems go to the caller's list; nothing here throws for a project error.
 */
import { createHash } from 'node:crypto';
import type { PipelineConfig } from '../../platform/config.ts';
import type { Location, Problem } from '../../platform/errors.ts';
import {
  HOOK_KEYS,
  KNOWN_CONFIG_KEYS,
  mergeConfig,
  testHookWarnings,
  treeLayers,
  validateConfigValues,
  type ConfigLayer,
  type RawConfig,
} from './config-tree.ts';
import { baseName, foldersOf } from './files.ts';
import { testConfig } from './generic-tests.ts';
import type { BinaryFile, TextFile } from './project-files.ts';
import type { NodeProps, SourceTableProps } from './properties.ts';
import { makeRelation } from './resolver.ts';
import { TemplateError, type CompiledTemplate, type RenderHooks, type TemplateEngine } from './templating.ts';
import type { ColumnInfo, ModelConfig, ModelNode, RefCall, SeedConfig, SeedNode, SourceCall, SourceNode, TestNode } from './types.ts';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** JSON with sorted keys: the same config always hashes the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** What building nodes shares: the project's config, its engine, and where problems go. */
export interface BuildContext {
  readonly config: PipelineConfig;
  /** The root project's config: its models:/seeds:/tests: trees apply to packages' nodes too (after their own). */
  readonly rootConfig: PipelineConfig;
  readonly packageName: string;
  readonly engine: TemplateEngine;
  readonly problems: Problem[];
  readonly warnings: Problem[];
  readonly templates: Map<string, CompiledTemplate>;
  /** Renders a description that may use doc(). */
  describe(text: string, where: string): string;
  columnsOf(p: NodeProps | undefined): Record<string, ColumnInfo>;
}

/** What the parse render of a template found. */
export interface ParseCapture {
  readonly refs: RefCall[];
  readonly sources: SourceCall[];
  readonly config: RawConfig;
  /** Names of the macros the render called, in call order, once each. */
  readonly macros: string[];
}

/** Runs `fn`, turning a TemplateError into a problem (undefined result). */
export function catchTemplate<T>(problems: Problem[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateError) {
      problems.push({ message: err.message, location: err.location });
      return undefined;
    }
    throw err;
  }
}

/** The hooks of a parse render: record what the template asks for, resolve nothing. */
export function captureHooks(name: string, captured: ParseCapture): RenderHooks {
  return {
    ref(refName, pkg) {
      captured.refs.push(pkg ? { name: refName, package: pkg } : { name: refName });
      return makeRelation('__parse__', refName);
    },
    source(source, table) {
      captured.sources.push({ source, table });
      return makeRelation('__parse__', table);
    },
    config(values) {
      Object.assign(captured.config, values);
    },
    isIncremental: () => false,
    macroCalled(macro) {
      if (!captured.macros.includes(macro)) captured.macros.push(macro);
    },
    this: makeRelation('__parse__', baseName(name)),
  };
}

function parseTemplate(ctx: BuildContext, f: TextFile): { template?: CompiledTemplate; captured: ParseCapture } {
  const captured: ParseCapture = { refs: [], sources: [], config: {}, macros: [] };
  const template = catchTemplate(ctx.problems, () => ctx.engine.compileFile(f.text, f.original_file_path));
  if (template) {
    catchTemplate(ctx.problems, () => ctx.engine.render(template, f.original_file_path, captureHooks(f.original_file_path, captured)));
  }
  return { template, captured };
}

/** Configs set in YAML or config() that no part of the engine reads: kept (config.get), and warned about. */
function warnUnknown(
  ctx: BuildContext,
  kind: 'model' | 'seed',
  set: RawConfig,
  where: (key: string) => Location | undefined,
  name: string,
): void {
  for (const key of Object.keys(set)) {
    if (KNOWN_CONFIG_KEYS[kind].includes(key) || HOOK_KEYS.includes(key)) continue;
    ctx.warnings.push({
      message: `${kind} ${name}: '${key}' is not a ${kind} config this engine knows (${KNOWN_CONFIG_KEYS[kind].join(', ')}); it is kept on the node for macros that read it (config.get).`,
      location: where(key),
    });
  }
}

/** A rendered config value as dbt's native rendering reads it ('False' is false, '3' is 3). */
function native(text: string): unknown {
  const t = text.trim();
  if (/^(true|True)$/.test(t)) return true;
  if (/^(false|False)$/.test(t)) return false;
  if (/^(none|None)$/.test(t)) return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return text;
}

/**
 * Jinja in dbt_project.yml config values (`+enabled: "{{ var('load_source_data', false) }}"`),
 * rendered with var, env_var and target, as dbt renders them. Hooks are left as written (dbt
 * renders them when they run).
 */
function renderLayers(ctx: BuildContext, layers: ConfigLayer[]): ConfigLayer[] {
  return layers.map((layer) => {
    if (!Object.values(layer.values).some((v) => typeof v === 'string' && (v.includes('{{') || v.includes('{%')))) return layer;
    const values: RawConfig = {};
    for (const [key, v] of Object.entries(layer.values)) {
      if (typeof v !== 'string' || HOOK_KEYS.includes(key) || (!v.includes('{{') && !v.includes('{%'))) {
        values[key] = v;
        continue;
      }
      const file = layer.where(key)?.file ?? ctx.config.file;
      const rendered = catchTemplate(ctx.problems, () => ctx.engine.renderText(v, file));
      values[key] = rendered === undefined ? v : native(rendered);
    }
    return { ...layer, values };
  });
}

/** The config layers for a node: its package's tree, then (for a package's node) the root project's. */
function layersFor(
  ctx: BuildContext,
  tree: 'models' | 'seeds' | 'snapshots' | 'tests',
  fqn: readonly string[],
  kind: 'model' | 'seed' | 'test',
): ConfigLayer[] {
  const own = treeLayers(ctx.config[tree], fqn, kind, locateIn(ctx.config), tree);
  const root = ctx.rootConfig === ctx.config ? [] : treeLayers(ctx.rootConfig[tree], fqn, kind, locateIn(ctx.rootConfig), tree);
  return renderLayers(ctx, [...own, ...root]);
}

const locateIn = (config: PipelineConfig) => (path: (string | number)[]) => config.source.locate(path);

/** How a snapshot is built as a model: configured by the `snapshots:` tree, with its own fqn. */
export interface SnapshotBuild {
  readonly tree: 'snapshots';
  readonly fqn: readonly string[];
}

/** A model, or undefined when disabled or broken (its problems reported). `disabled` is told its name. */
export function buildModel(
  ctx: BuildContext,
  f: TextFile,
  p: NodeProps | undefined,
  as?: SnapshotBuild,
): ModelNode | 'disabled' | undefined {
  const name = baseName(f.path);
  const fqn = as ? [...as.fqn] : [ctx.packageName, ...foldersOf(f.path), name];
  const { template, captured } = parseTemplate(ctx, f);
  const layers = layersFor(ctx, as?.tree ?? 'models', fqn, 'model');
  const merged = mergeConfig([{ materialized: 'view' }, ...layers.map((l) => l.values), p?.config ?? {}, captured.config]);
  const where = (key: string): Location | undefined =>
    key in captured.config
      ? { file: f.original_file_path }
      : p && key in p.config
        ? p.configWhere(key)
        : [...layers]
            .reverse()
            .find((l) => key in l.values)
            ?.where(key);
  ctx.problems.push(...validateConfigValues('model', merged, where, `${as ? 'snapshot' : 'model'} ${name} (${f.original_file_path})`));
  warnUnknown(ctx, 'model', { ...(p?.config ?? {}), ...captured.config }, where, name);
  if (merged.enabled === false) return 'disabled';
  const cfg = { enabled: true, ...merged } as ModelConfig;
  const node: ModelNode = {
    unique_id: `model.${ctx.packageName}.${name}`,
    resource_type: 'model',
    name,
    package_name: ctx.packageName,
    original_file_path: f.original_file_path,
    path: f.path,
    fqn,
    tags: cfg.tags,
    description: ctx.describe(p?.description ?? '', p?.file ?? f.original_file_path),
    columns: ctx.columnsOf(p),
    meta: cfg.meta,
    location: { file: f.original_file_path, line: 1 },
    checksum: { name: 'sha256', checksum: sha256(f.text + '\0' + stableJson(cfg)) },
    raw_code: f.text,
    file: f.file,
    config: cfg,
    schema: (cfg.schema as string | undefined) ?? undefined,
    alias: (cfg.alias as string | undefined) ?? name,
    refs: captured.refs,
    sources: captured.sources,
    depends_on: { nodes: [], macros: captured.macros },
  };
  if (template) ctx.templates.set(node.unique_id, template);
  return node;
}

export function buildSeed(ctx: BuildContext, f: BinaryFile, p: NodeProps | undefined): SeedNode | 'disabled' {
  const name = baseName(f.path);
  const fqn = [ctx.packageName, ...foldersOf(f.path), name];
  const layers = layersFor(ctx, 'seeds', fqn, 'seed');
  const merged = mergeConfig([...layers.map((l) => l.values), p?.config ?? {}]);
  const where = (key: string) =>
    p && key in p.config
      ? p.configWhere(key)
      : [...layers]
          .reverse()
          .find((l) => key in l.values)
          ?.where(key);
  ctx.problems.push(...validateConfigValues('seed', merged, where, `seed ${name} (${f.original_file_path})`));
  warnUnknown(ctx, 'seed', p?.config ?? {}, where, name);
  if (merged.enabled === false) return 'disabled';
  const cfg = { enabled: true, delimiter: ',', column_types: {}, ...merged } as SeedConfig;
  return {
    unique_id: `seed.${ctx.packageName}.${name}`,
    resource_type: 'seed',
    name,
    package_name: ctx.packageName,
    original_file_path: f.original_file_path,
    path: f.path,
    fqn,
    tags: cfg.tags,
    description: ctx.describe(p?.description ?? '', p?.file ?? f.original_file_path),
    columns: ctx.columnsOf(p),
    meta: cfg.meta,
    location: { file: f.original_file_path },
    checksum: { name: 'sha256', checksum: sha256(Buffer.concat([f.bytes, Buffer.from('\0' + stableJson(cfg))])) },
    file: f.file,
    config: cfg,
    schema: (cfg.schema as string | undefined) ?? undefined,
    alias: (cfg.alias as string | undefined) ?? name,
    depends_on: { nodes: [], macros: [] },
  };
}

export function buildSingularTest(ctx: BuildContext, f: TextFile): TestNode | undefined {
  const name = baseName(f.path);
  const { template, captured } = parseTemplate(ctx, f);
  const fqn = [ctx.packageName, ...foldersOf(f.path), name];
  const layers = layersFor(ctx, 'tests', fqn, 'test');
  const merged = mergeConfig([...layers.map((l) => l.values), captured.config]);
  ctx.problems.push(...validateConfigValues('test', merged, () => ({ file: f.original_file_path }), `test ${name}`));
  ctx.warnings.push(...testHookWarnings(captured.config, `test ${name} (${f.original_file_path})`, () => ({ file: f.original_file_path })));
  const cfg = testConfig(merged);
  if (!cfg.enabled) return undefined;
  const unique_id = `test.${ctx.packageName}.${name}`;
  if (template) ctx.templates.set(unique_id, template);
  return {
    unique_id,
    resource_type: 'test',
    kind: 'singular',
    name,
    package_name: ctx.packageName,
    original_file_path: f.original_file_path,
    path: f.path,
    fqn,
    tags: cfg.tags,
    description: '',
    columns: {},
    meta: cfg.meta,
    location: { file: f.original_file_path, line: 1 },
    checksum: { name: 'sha256', checksum: sha256(f.text + '\0' + stableJson(cfg)) },
    config: cfg,
    raw_code: f.text,
    file: f.file,
    depends_on: { nodes: [], macros: captured.macros },
    refs: captured.refs,
    sources: captured.sources,
  };
}

export function buildSource(ctx: BuildContext, s: SourceTableProps): SourceNode {
  return {
    unique_id: `source.${ctx.packageName}.${s.sourceName}.${s.name}`,
    resource_type: 'source',
    name: s.name,
    package_name: ctx.packageName,
    original_file_path: s.file,
    path: s.file,
    fqn: [ctx.packageName, ...foldersOf(s.file).slice(1), s.sourceName, s.name],
    tags: s.tags,
    description: ctx.describe(s.description, s.file),
    columns: ctx.columnsOf(s),
    meta: s.meta,
    location: s.location,
    checksum: { name: 'sha256', checksum: sha256(stableJson([s.schema, s.identifier, s.columns.map((c) => c.name)])) },
    source_name: s.sourceName,
    source_description: ctx.describe(s.sourceDescription, s.file),
    schema: s.schema,
    identifier: s.identifier,
    loaded_at_field: s.loadedAtField,
    freshness: s.freshness,
    config: { enabled: true, tags: s.tags },
  };
}
