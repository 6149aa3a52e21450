/**
 * A made-up project of any size, with 30 runs of history, for the browser tests and the
 * benchmark (scripts/bench-docs.ts): sources, seeds, models in three layers each reading one to
 * three nodes of the layers before, a snapshot, exposures, tests on columns, and for every
 * relation row counts, test results and source freshness per run. Deterministic (seeded).
 */
import type { Catalog, CatalogTable } from '../../actions/docs/catalog.ts';
import type { History, NodeResultPoint } from '../../actions/docs/history.ts';
import type { DocsManifest, ManifestEntry } from '../../actions/docs/manifest.ts';
import type { SnapshotDay } from '../../actions/docs/site/docs-data.ts';

export interface SyntheticProject {
  manifest: DocsManifest;
  catalog: Catalog;
  history: History;
  snapshotDays: Map<string, SnapshotDay[]>;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function syntheticProject(models: number, o: { runs?: number; seed?: number } = {}): SyntheticProject {
  const random = rng(o.seed ?? 7);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const runCount = o.runs ?? 30;
  const manifest: DocsManifest = { metadata: { project_name: 'synthetic' }, nodes: {}, sources: {}, exposures: {} };
  const catalog: Catalog = {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json',
      dbt_version: '0',
      generated_at: new Date(0).toISOString(),
      invocation_id: null,
      env: {},
    },
    nodes: {},
    sources: {},
    errors: null,
  };
  const start = Date.UTC(2026, 10, 1, 1);
  const history: History = {
    runs: Array.from({ length: runCount }, (_, i) => ({
      id: `run-${i}`,
      at: new Date(start + i * 86_400_000).toISOString(),
      command: 'daily',
      status: 'success',
    })),
    rowCounts: new Map(),
    results: new Map(),
  };
  const columnsFor = (n: number) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`col_${i}`, { name: `col_${i}`, description: `Column ${i}: *what* it means.` }]),
    );
  const addRelation = (e: ManifestEntry, kind: 'nodes' | 'sources', cols: number) => {
    const table: CatalogTable = {
      metadata: {
        type: 'BASE TABLE',
        schema: e.schema!,
        name: e.alias ?? e.identifier ?? e.name,
        database: null,
        comment: null,
        owner: null,
      },
      columns: Object.fromEntries(
        Array.from({ length: cols }, (_, i) => [
          `col_${i}`,
          { type: pick(['int(11)', 'varchar(64)', 'date', 'decimal(12,2)']), index: i + 1, name: `col_${i}`, comment: null },
        ]),
      ),
      stats: {
        num_rows: {
          id: 'num_rows',
          label: '# Rows',
          value: Math.floor(random() * 1e6),
          include: true,
          description: 'Exact count of the last run',
        },
        num_bytes: { id: 'num_bytes', label: 'Approximate Size', value: Math.floor(random() * 1e8), include: true, description: null },
      },
      unique_id: e.unique_id,
    };
    catalog[kind][e.unique_id] = table;
    let rows = 1000 + Math.floor(random() * 100000);
    history.rowCounts.set(
      `${e.schema}.${table.metadata.name}`,
      history.runs.map((_, run) => ({ run, rows: (rows += Math.floor(random() * 200)) })),
    );
  };
  const addTests = (on: ManifestEntry, cols: number) => {
    for (let c = 0; c < Math.min(cols, 3); c++) {
      const id = `test.synthetic.not_null_${on.name}_col_${c}.${String(c).padStart(10, '0')}`;
      manifest.nodes[id] = {
        unique_id: id,
        resource_type: 'test',
        name: `not_null_${on.name}_col_${c}`,
        attached_node: on.unique_id,
        column_name: `col_${c}`,
        config: { severity: 'error' },
      };
      history.results.set(
        id,
        history.runs.map(
          (_, run): NodeResultPoint => ({
            run,
            status: random() < 0.05 ? 'fail' : 'pass',
            failures: 0,
            ageSeconds: null,
            maxLoadedAt: null,
          }),
        ),
      );
    }
  };
  const upstream: string[] = [];
  for (let i = 0; i < 20; i++) {
    const id = `source.synthetic.vendor.table_${i}`;
    const e: ManifestEntry = {
      unique_id: id,
      resource_type: 'source',
      name: `table_${i}`,
      source_name: 'vendor',
      schema: 'staging',
      identifier: `table_${i}`,
      description: `Vendor table ${i}.`,
      columns: columnsFor(8),
    };
    manifest.sources[id] = e;
    addRelation(e, 'sources', 8);
    history.results.set(
      `source_check.freshness.synthetic.vendor.table_${i}`,
      history.runs.map((_, run) => ({ run, status: 'pass', failures: 0, ageSeconds: Math.floor(random() * 30 * 3600), maxLoadedAt: null })),
    );
    upstream.push(id);
  }
  for (let i = 0; i < 10; i++) {
    const id = `seed.synthetic.code_${i}`;
    const e: ManifestEntry = {
      unique_id: id,
      resource_type: 'seed',
      name: `code_${i}`,
      schema: 'seeds',
      alias: `code_${i}`,
      description: `Code table ${i}.`,
      columns: columnsFor(3),
      config: {},
    };
    manifest.nodes[id] = e;
    addRelation(e, 'nodes', 3);
    upstream.push(id);
  }
  const layers = ['staging', 'intermediate', 'marts'];
  const perLayer = [Math.ceil(models * 0.4), Math.ceil(models * 0.3)];
  let made = 0;
  for (const [li, layer] of layers.entries()) {
    const count = li < 2 ? Math.min(perLayer[li]!, models - made) : models - made;
    const pool = [...upstream];
    for (let i = 0; i < count; i++, made++) {
      const id = `model.synthetic.${layer}_model_${i}`;
      const parents = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(pool)))];
      const cols = 5 + Math.floor(random() * 10);
      const e: ManifestEntry = {
        unique_id: id,
        resource_type: 'model',
        name: `${layer}_model_${i}`,
        schema: layer,
        alias: `${layer}_model_${i}`,
        fqn: ['synthetic', layer, `${layer}_model_${i}`],
        description: `Model ${i} of the **${layer}** layer. See [the wiki](https://example.com/wiki).`,
        columns: columnsFor(cols),
        config: { materialized: li === 0 ? 'view' : 'table', schema: layer },
        depends_on: { nodes: parents },
        raw_code: `select * from {{ ref('${parents[0]!.split('.').pop()}') }}`,
        compiled_code: `select * from \`x\`.\`${parents[0]!.split('.').pop()}\``,
        original_file_path: `models/${layer}/${layer}_model_${i}.sql`,
      };
      manifest.nodes[id] = e;
      addRelation(e, 'nodes', cols);
      addTests(e, cols);
      upstream.push(id);
    }
  }
  const snapId = 'snapshot.synthetic.contracts_snapshot';
  const snap: ManifestEntry = {
    unique_id: snapId,
    resource_type: 'snapshot',
    name: 'contracts_snapshot',
    schema: 'snapshots',
    alias: 'contracts_snapshot',
    description: 'Contract versions.',
    depends_on: { nodes: [upstream[0]!] },
    columns: columnsFor(4),
  };
  manifest.nodes[snapId] = snap;
  addRelation(snap, 'nodes', 4);
  const snapshotDays = new Map([
    [
      snapId,
      Array.from({ length: 14 }, (_, i) => ({ day: `2026-11-${String(i + 10).padStart(2, '0')}`, opened: 5 + (i % 4) * 3, closed: i % 3 })),
    ],
  ]);
  for (let i = 0; i < 2; i++) {
    const id = `exposure.synthetic.dashboard_${i}`;
    manifest.exposures![id] = {
      unique_id: id,
      resource_type: 'exposure',
      name: `dashboard_${i}`,
      description: 'A BI dashboard.',
      depends_on: { nodes: [upstream.at(-1 - i)!] },
      owner: { name: 'Analytics', email: 'analytics@example.com' },
      url: 'https://bi.example.com/d/1',
    };
  }
  return { manifest, catalog, history, snapshotDays };
}
