/**
 * Artifacts in target/: compiled SQL (target/compiled/<project>/<path>.sql) and manifest.json in a
 * shape close to dbt's (nodes, sources, macros, docs, parent_map, child_map, checksums), so tools
 * that read dbt's manifest (and `--state` comparisons) work with it.
 * https://docs.getdbt.com/reference/artifacts/manifest-json
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../../platform/errors.ts';
import type { DocBlock, ExecutableNode, MacroNode, Project, RelationResolver, SourceNode } from './types.ts';
import { writeTargetFile } from '../../platform/target-files.ts';
import { type ArtifactMetadata, artifactMetadata } from '../../platform/run-results.ts';
import { exposureEntry } from './exposures.ts';

export const MANIFEST_FILE = 'manifest.json';

/** Writes a model's compiled SQL; returns its path relative to the current directory's view (absolute). */
export function writeCompiled(targetDir: string, project: Project, node: { original_file_path: string }, sql: string): string {
  const file = join(targetDir, 'compiled', project.name, node.original_file_path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, sql.endsWith('\n') ? sql : `${sql}\n`);
  return file;
}

export function compiledPathOf(targetDir: string, project: Project, node: { original_file_path: string }): string {
  return join(targetDir, 'compiled', project.name, node.original_file_path);
}

export interface ManifestNodeEntry {
  unique_id: string;
  resource_type: string;
  name: string;
  [key: string]: unknown;
}

export interface Manifest {
  metadata: ArtifactMetadata & { project_name: string; adapter_type: string };
  nodes: Record<string, ManifestNodeEntry>;
  sources: Record<string, ManifestNodeEntry>;
  macros: Record<string, unknown>;
  docs: Record<string, unknown>;
  exposures: Record<string, unknown>;
  metrics: Record<string, unknown>;
  groups: Record<string, unknown>;
  selectors: Record<string, unknown>;
  disabled: Record<string, unknown[]>;
  parent_map: Record<string, readonly string[]>;
  child_map: Record<string, readonly string[]>;
  group_map: Record<string, string[]>;
  saved_queries: Record<string, unknown>;
  semantic_models: Record<string, unknown>;
  unit_tests: Record<string, unknown>;
}

/**
 * dbt's `database`: every node's resolves (generate_database_name, validate-project.ts) to the
 * target's, anything else being refused; MySQL/MariaDB have no database above the schema, so it
 * is written as dbt-mysql writes it: null.
 */
const DATABASE = null;

/** The node's SQL after compilation, when this run compiled it (target/compiled/ holds it). */
export type CompiledCode = ReadonlyMap<string, string>;

/** dbt's hook list: a string or a list of strings / `{sql, transaction}` as `[{sql, transaction, index}]`. */
function hooks(value: unknown): Array<{ sql: string; transaction: boolean; index: number }> {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((h, index) =>
    typeof h === 'object' && h !== null && 'sql' in h
      ? { sql: String((h as { sql: unknown }).sql), transaction: (h as { transaction?: unknown }).transaction !== false, index }
      : { sql: String(h), transaction: true, index },
  );
}

/** A node's config in the manifest's shape (hooks as dbt's Hook objects). */
function manifestConfig(config: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of ['pre-hook', 'post-hook']) if (key in out) out[key] = hooks(out[key]);
  return out;
}

function nodeEntry(
  n: ExecutableNode,
  resolver: RelationResolver | undefined,
  project: Project,
  compiled: CompiledCode | undefined,
): ManifestNodeEntry {
  const base: ManifestNodeEntry = {
    database: DATABASE,
    schema: project.config.schema,
    name: n.name,
    // A snapshot is a model node materialized as `snapshot` here; dbt's manifest calls it a snapshot.
    resource_type: n.resource_type === 'model' && n.config.materialized === 'snapshot' ? 'snapshot' : n.resource_type,
    package_name: n.package_name,
    path: n.path,
    original_file_path: n.original_file_path,
    unique_id: n.unique_id,
    fqn: n.fqn,
    alias: n.name,
    checksum: n.checksum,
    config: manifestConfig(n.config),
    tags: n.tags,
    description: n.description,
    columns: n.columns,
    meta: n.meta,
    unrendered_config: n.config,
    depends_on: { macros: [...n.depends_on.macros], nodes: [...n.depends_on.nodes] },
  };
  if (n.resource_type === 'model' || n.resource_type === 'seed') {
    const rel = resolver?.resolve(n);
    Object.assign(base, {
      schema: rel?.schema ?? n.schema ?? project.config.schema,
      alias: n.alias,
      relation_name: rel ? rel.toString() : null,
    });
  }
  // A seed depends on nothing but macros (dbt's SeedNode has no depends_on.nodes).
  if (n.resource_type === 'seed')
    Object.assign(base, { raw_code: '', root_path: project.rootDir, depends_on: { macros: [...n.depends_on.macros] } });
  if (n.resource_type === 'model' || n.resource_type === 'test') {
    const code = compiled?.get(n.unique_id);
    Object.assign(base, {
      raw_code: n.raw_code ?? '',
      language: 'sql',
      refs: n.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: null })),
      sources: n.sources.map((s) => [s.source, s.table]),
      metrics: [],
      compiled: code !== undefined,
      ...(code !== undefined ? { compiled_code: code } : {}),
    });
  }
  if (n.resource_type === 'test' && n.kind === 'generic') {
    Object.assign(base, {
      test_metadata: { name: n.test_metadata!.name, kwargs: n.test_metadata!.kwargs, namespace: n.test_metadata!.namespace ?? null },
      attached_node: n.attached_node ?? null,
      column_name: n.column_name ?? null,
      file_key_name: n.attached_node ? `${n.attached_node.split('.')[0]}s.${n.attached_node.split('.').pop()}` : null,
    });
  }
  return base;
}

function sourceEntry(s: SourceNode, resolver: RelationResolver | undefined): ManifestNodeEntry {
  const rel = resolver?.resolve(s);
  return {
    database: DATABASE,
    schema: rel?.schema ?? s.schema,
    name: s.name,
    resource_type: 'source',
    package_name: s.package_name,
    path: s.path,
    original_file_path: s.original_file_path,
    unique_id: s.unique_id,
    fqn: s.fqn,
    source_name: s.source_name,
    source_description: s.source_description,
    loader: '',
    identifier: s.identifier,
    relation_name: rel?.toString() ?? null,
    loaded_at_field: s.loaded_at_field ?? null,
    freshness: s.freshness
      ? { warn_after: s.freshness.warn_after ?? null, error_after: s.freshness.error_after ?? null, filter: s.freshness.filter ?? null }
      : null,
    description: s.description,
    columns: s.columns,
    tags: s.tags,
    meta: s.meta,
    config: s.config,
    unrendered_config: s.config,
  };
}

/** A macro's text, `{% macro name(...) %}` to its `{% endmacro %}`, read from its file. */
function macroSql(file: string, name: string, cache: Map<string, string>): string {
  let text = cache.get(file);
  if (text === undefined) {
    text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    cache.set(file, text);
  }
  const start = text.search(new RegExp(`\\{%-?\\s*macro\\s+${name}\\s*\\(`));
  if (start < 0) return '';
  const end = /\{%-?\s*endmacro\s*-?%\}/g;
  end.lastIndex = start;
  const m = end.exec(text);
  return text.slice(start, m ? m.index + m[0].length : undefined);
}

function macroEntry(m: MacroNode, project: Project, cache: Map<string, string>): Record<string, unknown> {
  const [, packageName] = m.unique_id.split('.');
  return {
    name: m.name,
    resource_type: 'macro',
    package_name: packageName,
    path: m.original_file_path,
    original_file_path: m.original_file_path,
    unique_id: m.unique_id,
    macro_sql: macroSql(m.file, m.name, cache),
    depends_on: { macros: [] },
    description: '',
    meta: {},
    docs: { show: true, node_color: null },
    patch_path: null,
    arguments: [],
    supported_languages: null,
  };
}

function docEntry(d: DocBlock, project: Project): Record<string, unknown> {
  const [, packageName] = d.unique_id.split('.');
  const path = relative(project.rootDir, d.file);
  return {
    name: d.name,
    resource_type: 'doc',
    package_name: packageName,
    path,
    original_file_path: path,
    unique_id: d.unique_id,
    block_contents: d.block_contents,
  };
}

export function buildManifest(
  project: Project,
  o: { resolver?: RelationResolver; invocationId?: string; now?: Date; compiled?: CompiledCode } = {},
): Manifest {
  const nodes: Record<string, ManifestNodeEntry> = {};
  for (const n of project.nodes.values()) nodes[n.unique_id] = nodeEntry(n, o.resolver, project, o.compiled);
  const sources: Record<string, ManifestNodeEntry> = {};
  for (const s of project.sources.values()) sources[s.unique_id] = sourceEntry(s, o.resolver);
  const macros: Record<string, unknown> = {};
  const files = new Map<string, string>();
  for (const m of project.macros.values()) macros[m.unique_id] = macroEntry(m, project, files);
  return {
    metadata: {
      ...artifactMetadata('https://schemas.getdbt.com/dbt/manifest/v12.json', { generatedAt: o.now, invocationId: o.invocationId }),
      project_name: project.name,
      adapter_type: 'mysql',
    },
    nodes,
    sources,
    macros,
    docs: Object.fromEntries([...project.docs.values()].map((d) => [d.unique_id, docEntry(d, project)])),
    // What this engine does not have (metrics, semantic layer, groups, unit tests, selectors.yml)
    // is present and empty, as dbt writes it for a project without them.
    exposures: Object.fromEntries([...(project.exposures?.values() ?? [])].map((e) => [e.unique_id, exposureEntry(e)])),
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    parent_map: project.parent_map,
    child_map: project.child_map,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  };
}

/** Writes atomically (temporary file, then rename). */
export function writeManifest(targetDir: string, manifest: Manifest): string {
  return writeTargetFile(join(targetDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
}

/** The manifest of a previous run (`--state DIR`). */
export function readStateManifest(stateDir: string): Manifest {
  const file = join(stateDir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new UsageError(
      `--state ${stateDir}: no ${MANIFEST_FILE} there. To fix this, point --state at the target/ directory of a previous run (or a copy of it).`,
    );
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new UsageError(`--state ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
