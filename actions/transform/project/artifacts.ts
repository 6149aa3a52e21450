/**
 * Artifacts in target/: compiled SQL (target/compiled/<project>/<path>.sql) and manifest.json in a
 * shape close to dbt's (nodes, sources, macros, docs, parent_map, child_map, checksums), so tools
 * that read dbt's manifest (and `--state` comparisons) work with it.
 * https://docs.getdbt.com/reference/artifacts/manifest-json
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from '../../platform/errors.ts';
import type { ExecutableNode, Project, RelationResolver, SourceNode } from './types.ts';
import { writeTargetFile } from '../../platform/target-files.ts';

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
  metadata: { dbt_schema_version: string; generated_at: string; invocation_id?: string; project_name: string; adapter_type: string };
  nodes: Record<string, ManifestNodeEntry>;
  sources: Record<string, ManifestNodeEntry>;
  macros: Record<string, unknown>;
  docs: Record<string, unknown>;
  parent_map: Record<string, readonly string[]>;
  child_map: Record<string, readonly string[]>;
}

function nodeEntry(n: ExecutableNode, resolver: RelationResolver | undefined, project: Project): ManifestNodeEntry {
  const base: ManifestNodeEntry = {
    unique_id: n.unique_id,
    resource_type: n.resource_type,
    name: n.name,
    package_name: n.package_name,
    path: n.path,
    original_file_path: n.original_file_path,
    fqn: n.fqn,
    tags: n.tags,
    description: n.description,
    columns: n.columns,
    meta: n.meta,
    checksum: n.checksum,
    config: n.config,
    depends_on: n.depends_on,
  };
  if (n.resource_type === 'model' || n.resource_type === 'seed') {
    const rel = resolver?.resolve(n);
    Object.assign(base, {
      schema: rel?.schema ?? n.schema ?? project.config.schema,
      alias: n.alias,
      relation_name: rel ? rel.toString() : undefined,
    });
  }
  if (n.resource_type === 'model')
    Object.assign(base, { raw_code: n.raw_code, language: 'sql', refs: n.refs, sources: n.sources.map((s) => [s.source, s.table]) });
  if (n.resource_type === 'test') {
    Object.assign(base, {
      test_metadata: n.test_metadata,
      attached_node: n.attached_node,
      column_name: n.column_name,
      raw_code: n.raw_code,
      declared_at: n.location,
    });
  }
  return base;
}

function sourceEntry(s: SourceNode, resolver: RelationResolver | undefined): ManifestNodeEntry {
  const rel = resolver?.resolve(s);
  return {
    unique_id: s.unique_id,
    resource_type: 'source',
    name: s.name,
    source_name: s.source_name,
    source_description: s.source_description,
    package_name: s.package_name,
    path: s.path,
    original_file_path: s.original_file_path,
    fqn: s.fqn,
    schema: rel?.schema ?? s.schema,
    identifier: s.identifier,
    relation_name: rel?.toString(),
    loaded_at_field: s.loaded_at_field ?? null,
    freshness: s.freshness ?? null,
    description: s.description,
    columns: s.columns,
    tags: s.tags,
    meta: s.meta,
    checksum: s.checksum,
    config: s.config,
  };
}

export function buildManifest(project: Project, o: { resolver?: RelationResolver; invocationId?: string; now?: Date } = {}): Manifest {
  const nodes: Record<string, ManifestNodeEntry> = {};
  for (const n of project.nodes.values()) nodes[n.unique_id] = nodeEntry(n, o.resolver, project);
  const sources: Record<string, ManifestNodeEntry> = {};
  for (const s of project.sources.values()) sources[s.unique_id] = sourceEntry(s, o.resolver);
  const macros: Record<string, unknown> = {};
  for (const m of project.macros.values()) macros[m.unique_id] = { ...m, file: relative(project.rootDir, m.file) };
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      generated_at: (o.now ?? new Date()).toISOString(),
      invocation_id: o.invocationId,
      project_name: project.name,
      adapter_type: 'mysql',
    },
    nodes,
    sources,
    macros,
    docs: Object.fromEntries(project.docs),
    parent_map: project.parent_map,
    child_map: project.child_map,
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
