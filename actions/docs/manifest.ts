/**
 * The manifest the engine wrote (target/manifest.json), read as JSON: the docs stage needs no
 * part of the transform engine, only what it wrote down. The fields read are dbt's (v12), so a
 * manifest from dbt itself documents too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../platform/errors.ts';

export const MANIFEST_FILE = 'manifest.json';

export interface ManifestColumn {
  name?: string;
  description?: string;
}

export interface ManifestEntry {
  unique_id: string;
  resource_type: string;
  name: string;
  description?: string;
  original_file_path?: string;
  fqn?: string[];
  schema?: string;
  alias?: string;
  identifier?: string;
  source_name?: string;
  relation_name?: string;
  raw_code?: string;
  compiled_code?: string;
  columns?: Record<string, ManifestColumn>;
  config?: { materialized?: string; schema?: string; severity?: string; [k: string]: unknown };
  depends_on?: { nodes?: string[] };
  attached_node?: string;
  column_name?: string | null;
  /** Exposures. */
  owner?: { name?: string; email?: string };
  url?: string;
  label?: string;
}

export interface DocsManifest {
  metadata: { project_name?: string; invocation_id?: string };
  nodes: Record<string, ManifestEntry>;
  sources: Record<string, ManifestEntry>;
  exposures?: Record<string, ManifestEntry>;
}

export function readManifest(targetDir: string): DocsManifest {
  const file = join(targetDir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new UsageError(
      `no ${MANIFEST_FILE} in ${targetDir}. To fix this, run 'pipeline compile' (or any run) with the same --target-dir first.`,
    );
  }
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as DocsManifest;
    if (!m || typeof m.nodes !== 'object' || typeof m.sources !== 'object') throw new Error('it has no nodes or sources');
    return m;
  } catch (err) {
    throw new UsageError(`${file} is not a manifest: ${(err as Error).message}. To fix this, run 'pipeline compile' to write it again.`);
  }
}

/** The compiled SQL of a node: the manifest's compiled_code, else target/compiled/<project>/<file> when a run wrote it. */
export function compiledSql(targetDir: string, project: string, node: ManifestEntry): string | null {
  if (typeof node.compiled_code === 'string') return node.compiled_code;
  if (!node.original_file_path) return null;
  const file = join(targetDir, 'compiled', project, node.original_file_path);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
