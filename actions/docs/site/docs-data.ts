/**
 * What the docs site is given: one JSON document embedded in index.html (types only; shared by
 * the generator in Node and the app in the browser). Everything the pages show is here, so the
 * site needs no request at all: opened from disk it works like served over HTTP.
 */

export type ResourceType = 'model' | 'source' | 'seed' | 'snapshot' | 'exposure';

/** One run of the pipeline that left history (row counts or node results). */
export interface RunInfo {
  id: string;
  /** ISO time the run started (or its history was first recorded). */
  at: string;
  command: string | null;
  status: string | null;
}

/** One result of a test or check in one run; `run` indexes DocsData.runs. */
export interface ResultPoint {
  run: number;
  status: string;
  failures: number | null;
}

export interface DocTest {
  id: string;
  name: string;
  /** The column the test is on, when it is a column test. */
  column: string | null;
  severity: string;
  /** Newest last; at most the last 30 runs. */
  history: ResultPoint[];
}

export interface DocColumn {
  name: string;
  /** From the catalog (information_schema); null when the relation does not exist. */
  type: string | null;
  description: string;
  /** Ids into DocsData.tests. */
  tests: string[];
}

export interface FreshnessPoint {
  run: number;
  status: string;
  ageSeconds: number | null;
  maxLoadedAt: string | null;
}

export interface SnapshotDay {
  day: string;
  opened: number;
  closed: number;
}

export interface DocNode {
  id: string;
  type: ResourceType;
  name: string;
  /** The group in the sidebar (sources, seeds, snapshots, a model layer such as silver, exposures). */
  layer: string;
  description: string;
  /** `schema`.`table`, when the node is a relation. */
  relation: string | null;
  schema: string | null;
  materialized: string | null;
  /** table or view, from the catalog; null when the relation does not exist. */
  relationType: string | null;
  rows: number | null;
  /** True: counted by the last run; false: the server's estimate. */
  rowsExact: boolean;
  bytes: number | null;
  file: string | null;
  rawSql: string | null;
  compiledSql: string | null;
  columns: DocColumn[];
  /** Every test on the node (column tests included), ids into DocsData.tests. */
  tests: string[];
  parents: string[];
  children: string[];
  /** Lineage position (dagre, computed when the site is generated). */
  x: number;
  y: number;
  /** Row counts of the last runs, one point per run that counted this relation. */
  rowHistory: Array<{ run: number; rows: number | null }>;
  freshness: FreshnessPoint[];
  snapshotDays: SnapshotDay[];
  /** Exposures: who uses the data, and where. */
  owner: string | null;
  url: string | null;
}

export interface DocsData {
  project: string;
  generatedAt: string;
  runs: RunInfo[];
  nodes: DocNode[];
  tests: Record<string, DocTest>;
  /** Layers in the order the sidebar lists them. */
  layers: string[];
}

/** The id of the element holding the data in index.html. */
export const DATA_ELEMENT_ID = 'docs-data';
/** The performance mark the app sets once the page answers input (the benchmark reads it). */
export const INTERACTIVE_MARK = 'docs-interactive';
