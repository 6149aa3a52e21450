/**
 * The project's node model: what a dbt-compatible project is once read. Models, seeds, sources,
 * tests, macros and docs, each with a dbt-style unique_id (`model.tokyobeta.stg_rooms`,
 * `seed.tokyobeta.code_gender`, `source.tokyobeta.staging.movings`,
 * `test.tokyobeta.unique_stg_rooms_room_id.1a2b3c4d5e`), plus the graph (parent_map, child_map).
 *
 * Names here are LOGICAL. Where a node lives on the server is decided by a `RelationResolver`
 * passed to compilation, so that the same project compiles against shadow schemas (write-audit-
 * publish) or against the published ones.
 */
import type { PipelineConfig } from '../../platform/config.ts';
import type { Location } from '../../platform/errors.ts';
import type { ExposureNode } from './exposures.ts';

export type ResourceType = 'model' | 'seed' | 'source' | 'test';
export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral' | 'snapshot';
export const MATERIALIZATIONS: readonly Materialization[] = ['view', 'table', 'incremental', 'ephemeral'];
export type Severity = 'error' | 'warn';

/** A column as described in YAML. */
export interface ColumnInfo {
  readonly name: string;
  readonly description: string;
  readonly data_type?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** What all nodes share (dbt's manifest fields, so the manifest is mostly a dump of these). */
export interface BaseNode {
  readonly unique_id: string;
  readonly resource_type: ResourceType;
  /** The node's name: a model's file name, a seed's CSV name, a source table's name, a test's generated name. */
  readonly name: string;
  readonly package_name: string;
  /** Path relative to the project root, with forward slashes (`models/silver/stg_rooms.sql`). */
  readonly original_file_path: string;
  /** Path relative to its model-path/seed-path/test-path (`silver/stg_rooms.sql`). */
  readonly path: string;
  /** Fully qualified name: [project, ...folders, name]; what the config tree is matched against. */
  readonly fqn: readonly string[];
  readonly tags: readonly string[];
  readonly description: string;
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly meta: Readonly<Record<string, unknown>>;
  /** Where the node is declared (the .sql/.csv file, or the YAML line of a source or test). */
  readonly location: Location;
  /** sha256 of what defines the node (raw SQL or CSV bytes, plus its config): for state:modified. */
  readonly checksum: { readonly name: 'sha256'; readonly checksum: string };
}

/** Config every model/seed carries after merging pipeline.yml's tree, YAML `config:` and `config()`. */
export interface NodeConfig {
  readonly enabled: boolean;
  /** Custom logical schema, used verbatim (plus the run's schema prefix). Default: the default schema. */
  readonly schema?: string;
  /** Table/view name on the server. Default: the node's name. */
  readonly alias?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  /** Everything else that was set (persist_docs, etc.); only known keys reach here. */
  readonly [key: string]: unknown;
}

export interface ModelConfig extends NodeConfig {
  readonly materialized: Materialization;
  /** Incremental models: column(s) whose rows are replaced (merge). None: append. */
  readonly unique_key?: string | readonly string[];
  /** `false` keeps an incremental model from being rebuilt by --full-refresh. */
  readonly full_refresh?: boolean;
  /** Incremental models: `append` (no unique_key) or `delete+insert` (with unique_key). */
  readonly incremental_strategy?: 'append' | 'delete+insert' | 'merge';
}

export interface SeedConfig extends NodeConfig {
  /** Column name -> SQL type, overriding inference. */
  readonly column_types: Readonly<Record<string, string>>;
  /** CSV field delimiter. Default `,`. */
  readonly delimiter: string;
  readonly quote_columns?: boolean;
}

export interface ModelNode extends BaseNode {
  readonly resource_type: 'model';
  /** The SQL as written, before templating. */
  readonly raw_code: string;
  /** Absolute path of the .sql file. */
  readonly file: string;
  readonly config: ModelConfig;
  /** Logical schema: config.schema, or undefined for the default schema. */
  readonly schema: string | undefined;
  /** Name of the relation on the server: config.alias ?? name. */
  readonly alias: string;
  /** What `ref()`/`source()` asked for, in order, as written (found by the parse render). */
  readonly refs: readonly RefCall[];
  readonly sources: readonly SourceCall[];
  readonly depends_on: { readonly nodes: readonly string[]; readonly macros: readonly string[] };
}

export interface RefCall {
  readonly name: string;
  /** ref('package', 'name'): the package; ignored beyond the root project. */
  readonly package?: string;
}

export interface SourceCall {
  readonly source: string;
  readonly table: string;
}

export interface SeedNode extends BaseNode {
  readonly resource_type: 'seed';
  /** Absolute path of the .csv file. */
  readonly file: string;
  readonly config: SeedConfig;
  readonly schema: string | undefined;
  readonly alias: string;
  readonly depends_on: { readonly nodes: readonly string[]; readonly macros: readonly string[] };
}

export interface SourceFreshness {
  readonly warn_after?: { readonly count: number; readonly period: 'minute' | 'hour' | 'day' };
  readonly error_after?: { readonly count: number; readonly period: 'minute' | 'hour' | 'day' };
  readonly filter?: string;
}

export interface SourceNode extends BaseNode {
  readonly resource_type: 'source';
  /** The source's name in YAML (`sources: - name: staging`). */
  readonly source_name: string;
  readonly source_description: string;
  /** Logical schema: the source's `schema:`, default its name. */
  readonly schema: string;
  /** Table name on the server: `identifier:`, default the table's name. */
  readonly identifier: string;
  readonly loaded_at_field?: string;
  readonly freshness?: SourceFreshness;
  readonly config: { readonly enabled: boolean; readonly tags: readonly string[] };
}

export interface TestConfig {
  readonly enabled: boolean;
  /** Default `error`. */
  readonly severity: Severity;
  /** Conditions on the failure count, dbt's defaults: `!= 0`. */
  readonly warn_if: string;
  readonly error_if: string;
  /** SQL filter applied to the tested relation before testing. */
  readonly where?: string;
  /** At most this many failing rows are counted/returned. */
  readonly limit?: number;
  /** Keep failing rows in the audit schema. Default false. */
  readonly store_failures: boolean;
  /** dbt's `fail_calc`: how failures are counted over the failing rows. Default `count(*)`. */
  readonly fail_calc?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A generic test declared in YAML (`tests:`/`data_tests:`) or a singular test (.sql in test-paths). */
export interface TestNode extends BaseNode {
  readonly resource_type: 'test';
  readonly kind: 'generic' | 'singular';
  readonly config: TestConfig;
  /** Generic tests: the test's name (`unique`, `not_null`, `accepted_values`, `relationships`, ...) and arguments. */
  readonly test_metadata?: {
    readonly name: string;
    readonly namespace?: string;
    /** Arguments as written in YAML (e.g. `values: [a, b]`, `to: "ref('stg_tenants')"`, `field: id`). */
    readonly kwargs: Readonly<Record<string, unknown>>;
  };
  /** Generic tests: the model/seed/source the test is declared on. */
  readonly attached_node?: string;
  /** Generic tests on a column: the column name. */
  readonly column_name?: string;
  /** Singular tests: the SQL as written (a query returning failing rows). Generic tests: undefined. */
  readonly raw_code?: string;
  /** Absolute path of the declaring file (the YAML file for generic tests, the .sql for singular). */
  readonly file: string;
  /** Nodes the test reads: the attached node, and e.g. `relationships`' `to` target; singular: its refs/sources. */
  readonly depends_on: { readonly nodes: readonly string[]; readonly macros: readonly string[] };
  /** Singular tests: ref()/source() calls found by the parse render. */
  readonly refs: readonly RefCall[];
  readonly sources: readonly SourceCall[];
}

/** A `{% macro %}` from macro-paths, callable from every model. */
export interface MacroNode {
  readonly unique_id: string;
  readonly name: string;
  readonly file: string;
  readonly original_file_path: string;
  readonly line: number;
}

/** A `{% docs name %}...{% enddocs %}` block from a .md file. */
export interface DocBlock {
  readonly unique_id: string;
  readonly name: string;
  readonly block_contents: string;
  readonly file: string;
}

export type ExecutableNode = ModelNode | SeedNode | TestNode;
export type GraphNode = ModelNode | SeedNode | SourceNode | TestNode;
/** A node that has a relation on the server. */
export type RelationNode = ModelNode | SeedNode | SourceNode;

export interface Project {
  readonly config: PipelineConfig;
  /** Absolute project directory. */
  readonly rootDir: string;
  readonly name: string;
  /** Models, seeds and tests by unique_id (dbt's `nodes`). */
  readonly nodes: ReadonlyMap<string, ExecutableNode>;
  readonly sources: ReadonlyMap<string, SourceNode>;
  readonly macros: ReadonlyMap<string, MacroNode>;
  readonly docs: ReadonlyMap<string, DocBlock>;
  /** unique_id -> the unique_ids it depends on / that depend on it (every node and source). */
  readonly parent_map: Readonly<Record<string, readonly string[]>>;
  readonly child_map: Readonly<Record<string, readonly string[]>>;
  /** dbt's exposures (exposures.ts): in the manifest and the graph, never built. */
  readonly exposures?: ReadonlyMap<string, ExposureNode>;
  /** Effective vars: pipeline.yml's vars overridden by --vars. */
  readonly vars: Readonly<Record<string, unknown>>;
}

/** A relation on the server: `schema`.`identifier`. `toString()` is the quoted form used in SQL. */
export interface Relation {
  readonly schema: string;
  readonly identifier: string;
  /** dbt's alias of identifier (`this.name`). */
  readonly name: string;
  readonly database?: string;
  toString(): string;
}

/**
 * Where `ref()`, `source()` and `this` point on the server. Compilation takes one as a parameter:
 * `publishedResolver` maps logical schemas through `Schemas.physical`; write-audit-publish builds
 * into `Schemas.shadow` with its own resolver (see resolver.ts), then publishes.
 */
export interface RelationResolver {
  resolve(node: RelationNode): Relation;
}
