/**
 * Puts together what the site shows, without I/O: the manifest's models, sources, seeds,
 * snapshots and exposures, the catalog's types, counts and sizes, the run history, and the
 * lineage layout, into the one DocsData document index.html embeds.
 */
import type { Catalog, CatalogTable } from './catalog.ts';
import type { History } from './history.ts';
import { layoutGraph } from './layout.ts';
import type { DocsManifest, ManifestEntry } from './manifest.ts';
import type { DocColumn, DocNode, DocsData, DocTest, ResourceType, SnapshotDay } from './site/docs-data.ts';

const DOCUMENTED: ReadonlySet<string> = new Set(['model', 'source', 'seed', 'snapshot', 'exposure']);
const FIXED_LAYERS = { source: 'sources', seed: 'seeds', snapshot: 'snapshots', exposure: 'exposures' } as const;

export interface DocsInputs {
  manifest: DocsManifest;
  catalog: Catalog;
  history: History;
  /** Versions opened and closed per day, by snapshot unique_id. */
  snapshotDays?: ReadonlyMap<string, SnapshotDay[]>;
  /** The compiled SQL of a node, when there is one. */
  compiledSql?: (node: ManifestEntry) => string | null;
  now?: Date;
}

/** The layer a node is listed under: a model's custom schema (silver, gold) or its folder. */
export function layerOf(n: ManifestEntry): string {
  const fixed = FIXED_LAYERS[n.resource_type as keyof typeof FIXED_LAYERS];
  if (fixed) return fixed;
  if (typeof n.config?.schema === 'string' && n.config.schema) return n.config.schema;
  return n.fqn && n.fqn.length > 2 ? n.fqn[1]! : 'models';
}

/** The physical schema and table of a node, from its relation name (`schema`.`table`) or its fields. */
export function relationOf(n: ManifestEntry): { schema: string; table: string } | null {
  if (n.resource_type === 'exposure') return null;
  const m = /^`((?:[^`]|``)+)`\.`((?:[^`]|``)+)`$/.exec(n.relation_name ?? '');
  if (m) return { schema: m[1]!.replace(/``/g, '`'), table: m[2]!.replace(/``/g, '`') };
  const table = n.resource_type === 'source' ? (n.identifier ?? n.name) : (n.alias ?? n.name);
  return n.schema ? { schema: n.schema, table } : null;
}

export function buildDocsData(i: DocsInputs): DocsData {
  const m = i.manifest;
  const entries = [...Object.values(m.nodes), ...Object.values(m.sources), ...Object.values(m.exposures ?? {})].filter((n) =>
    DOCUMENTED.has(n.resource_type),
  );
  const ids = new Set(entries.map((n) => n.unique_id));
  const parents = new Map(entries.map((n) => [n.unique_id, [...new Set(n.depends_on?.nodes ?? [])].filter((p) => ids.has(p))]));
  const children = new Map<string, string[]>(entries.map((n) => [n.unique_id, []]));
  for (const [id, ps] of parents) for (const p of ps) children.get(p)!.push(id);

  const tests: Record<string, DocTest> = {};
  const testsOf = new Map<string, string[]>();
  for (const t of Object.values(m.nodes)) {
    if (t.resource_type !== 'test') continue;
    const on = t.attached_node ? [t.attached_node] : (t.depends_on?.nodes ?? []);
    tests[t.unique_id] = {
      id: t.unique_id,
      name: t.name,
      column: t.column_name ?? null,
      severity: String(t.config?.severity ?? 'error').toLowerCase(),
      history: (i.history.results.get(t.unique_id) ?? []).map((p) => ({ run: p.run, status: p.status, failures: p.failures })),
    };
    for (const n of on) testsOf.set(n, [...(testsOf.get(n) ?? []), t.unique_id]);
  }

  const positions = layoutGraph(entries.map((n) => ({ id: n.unique_id, parents: parents.get(n.unique_id)! })));
  const nodes: DocNode[] = entries.map((n) => {
    const rel = relationOf(n);
    const cat: CatalogTable | undefined = n.resource_type === 'source' ? i.catalog.sources[n.unique_id] : i.catalog.nodes[n.unique_id];
    const key = rel ? `${rel.schema}.${rel.table}` : '';
    const rowsStat = cat?.stats.num_rows;
    const nodeTests = testsOf.get(n.unique_id) ?? [];
    const pos = positions.get(n.unique_id)!;
    const freshnessId = n.resource_type === 'source' ? `source_check.freshness.${n.unique_id.replace(/^source\./, '')}` : '';
    return {
      id: n.unique_id,
      type: n.resource_type as ResourceType,
      name: n.resource_type === 'source' && n.source_name ? `${n.source_name}.${n.name}` : n.name,
      layer: layerOf(n),
      description: n.description ?? '',
      relation: rel ? `${rel.schema}.${rel.table}` : null,
      schema: rel?.schema ?? null,
      materialized: n.resource_type === 'model' ? (n.config?.materialized ?? 'view') : n.resource_type === 'seed' ? 'seed' : null,
      relationType: cat ? (cat.metadata.type === 'VIEW' ? 'view' : 'table') : null,
      rows: typeof rowsStat?.value === 'number' ? rowsStat.value : null,
      rowsExact: rowsStat?.description?.startsWith('Exact') ?? false,
      bytes: typeof cat?.stats.num_bytes?.value === 'number' ? cat.stats.num_bytes.value : null,
      file: n.original_file_path ?? null,
      rawSql: n.raw_code ?? null,
      compiledSql: n.resource_type === 'model' ? (i.compiledSql?.(n) ?? null) : null,
      columns: columnsOf(n, cat, nodeTests, tests),
      tests: nodeTests,
      parents: parents.get(n.unique_id)!,
      children: children.get(n.unique_id)!,
      x: pos.x,
      y: pos.y,
      rowHistory: rel ? (i.history.rowCounts.get(key) ?? []) : [],
      freshness: (i.history.results.get(freshnessId) ?? []).map((p) => ({
        run: p.run,
        status: p.status,
        ageSeconds: p.ageSeconds,
        maxLoadedAt: p.maxLoadedAt,
      })),
      snapshotDays: i.snapshotDays?.get(n.unique_id) ?? [],
      owner: n.owner ? [n.owner.name, n.owner.email].filter(Boolean).join(' ') || null : null,
      url: n.url ?? null,
    };
  });
  nodes.sort((a, b) => a.name.localeCompare(b.name));
  return {
    project: m.metadata.project_name ?? 'project',
    generatedAt: (i.now ?? new Date()).toISOString(),
    runs: i.history.runs,
    nodes,
    tests,
    layers: orderLayers(nodes),
  };
}

/** The declared columns first (in YAML order), then those only the catalog knows (in table order). */
function columnsOf(n: ManifestEntry, cat: CatalogTable | undefined, nodeTests: string[], tests: Record<string, DocTest>): DocColumn[] {
  const declared = Object.entries(n.columns ?? {}).map(([name, c]) => ({ name: c.name ?? name, description: c.description ?? '' }));
  const catalogCols = Object.values(cat?.columns ?? {}).sort((a, b) => a.index - b.index);
  const typeOf = new Map(catalogCols.map((c) => [c.name.toLowerCase(), c.type]));
  const seen = new Set(declared.map((c) => c.name.toLowerCase()));
  const all = [
    ...declared,
    ...catalogCols.filter((c) => !seen.has(c.name.toLowerCase())).map((c) => ({ name: c.name, description: c.comment ?? '' })),
  ];
  return all.map((c) => ({
    name: c.name,
    type: typeOf.get(c.name.toLowerCase()) ?? null,
    description: c.description,
    tests: nodeTests.filter((t) => tests[t]?.column?.toLowerCase() === c.name.toLowerCase()),
  }));
}

/** Sources, seeds and snapshots first, model layers in the order data flows through them (mean lineage x), exposures last. */
function orderLayers(nodes: DocNode[]): string[] {
  const xs = new Map<string, number[]>();
  for (const n of nodes) xs.set(n.layer, [...(xs.get(n.layer) ?? []), n.x]);
  const mean = (l: string) => {
    const v = xs.get(l)!;
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const head = ['sources', 'seeds', 'snapshots'].filter((l) => xs.has(l));
  const tail = xs.has('exposures') ? ['exposures'] : [];
  const middle = [...xs.keys()]
    .filter((l) => !head.includes(l) && !tail.includes(l))
    .sort((a, b) => mean(a) - mean(b) || a.localeCompare(b));
  return [...head, ...middle, ...tail];
}
