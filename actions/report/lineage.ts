/**
 * The model lineage as a Mermaid flowchart (GitHub renders ```mermaid blocks in job summaries and
 * Markdown files), from target/manifest.json: sources and seeds on the left, then silver, then
 * gold, edges from the manifest's parent_map. Tests are left out: they are not lineage.
 * Mermaid ids are generated (n0, n1, ...) so no name from the project reaches the syntax; labels
 * are quoted and stripped of the characters Mermaid treats specially.
 */
import type { NodeResult } from '../platform/run-results.ts';

/** The part of a dbt-style manifest.json the lineage needs. */
export interface ManifestLike {
  nodes?: Record<string, ManifestNode>;
  sources?: Record<string, ManifestNode>;
  parent_map?: Record<string, string[]>;
}

export interface ManifestNode {
  unique_id?: string;
  resource_type?: string;
  name?: string;
  schema?: string;
  source_name?: string;
  original_file_path?: string;
  checksum?: { checksum?: string } | string;
  config?: { materialized?: string; schema?: string };
  depends_on?: { nodes?: string[] };
}

/** Mermaid's default maxTextSize is 50,000 characters; stay well inside it. */
export const MAX_LINEAGE_NODES = 250;

const LINEAGE_TYPES = new Set(['model', 'seed', 'source', 'snapshot']);

export interface Lineage {
  mermaid: string;
  nodes: number;
  edges: number;
  /** Nodes left out to keep the diagram renderable. */
  omitted: number;
}

function label(uid: string, node: ManifestNode): string {
  const name = node.resource_type === 'source' && node.source_name ? `${node.source_name}.${node.name}` : (node.name ?? uid);
  const schema = node.resource_type === 'source' ? undefined : (node.config?.schema ?? node.schema);
  const text = schema && node.resource_type !== 'source' ? `${schema}.${name}` : name;
  return text.replace(/["`<>{}[\]|#;]/g, '_');
}

function typeOf(uid: string, node: ManifestNode): string {
  return node.resource_type ?? uid.split('.')[0] ?? 'model';
}

/** Builds the flowchart; failed or skipped models get their own style so the diagram shows where a run broke. */
export function lineageFromManifest(manifest: ManifestLike, results: NodeResult[] = []): Lineage | undefined {
  const all: Record<string, ManifestNode> = { ...(manifest.sources ?? {}), ...(manifest.nodes ?? {}) };
  const uids = Object.keys(all)
    .filter((uid) => LINEAGE_TYPES.has(typeOf(uid, all[uid]!)))
    .sort();
  if (uids.length === 0) return undefined;
  const kept = uids.slice(0, MAX_LINEAGE_NODES);
  const ids = new Map(kept.map((uid, i) => [uid, `n${i}`]));
  const status = new Map(results.map((r) => [r.unique_id, r.status]));
  const lines = ['flowchart LR'];
  const groups: Record<string, string[]> = {};
  for (const uid of kept) {
    const node = all[uid]!;
    const type = typeOf(uid, node);
    const shape =
      type === 'source' ? `[("${label(uid, node)}")]` : type === 'seed' ? `[/"${label(uid, node)}"/]` : `["${label(uid, node)}"]`;
    (groups[type] ??= []).push(`  ${ids.get(uid)}${shape}`);
  }
  for (const type of ['source', 'seed', 'model', 'snapshot']) {
    if (groups[type]) lines.push(...groups[type]);
  }
  let edges = 0;
  for (const uid of kept) {
    const parents = manifest.parent_map?.[uid] ?? all[uid]!.depends_on?.nodes ?? [];
    for (const p of [...new Set(parents)].sort()) {
      const from = ids.get(p);
      if (from) {
        lines.push(`  ${from} --> ${ids.get(uid)}`);
        edges++;
      }
    }
  }
  const failed = kept.filter((uid) => status.get(uid) === 'error').map((uid) => ids.get(uid));
  const skipped = kept.filter((uid) => status.get(uid) === 'skipped').map((uid) => ids.get(uid));
  if (failed.length) lines.push('  classDef failed fill:#ffd7d5,stroke:#cf222e', `  class ${failed.join(',')} failed`);
  if (skipped.length)
    lines.push('  classDef skipped fill:#eaeef2,stroke:#8c959f,stroke-dasharray: 4 3', `  class ${skipped.join(',')} skipped`);
  return { mermaid: lines.join('\n'), nodes: kept.length, edges, omitted: uids.length - kept.length };
}
