/**
 * Property files (`*.yml` in model-paths and seed-paths): sources, models, seeds, their columns,
 * descriptions and tests (`tests:` or `data_tests:`), each remembered with the file and line that
 * declared it. Reading collects every problem; it does not stop at the first.
 * https://docs.getdbt.com/reference/model-properties
 */
import type { Location, Problem } from '../../platform/errors.ts';
import { ConfigError } from '../../platform/errors.ts';
import { parseYaml, type YamlSource } from '../../platform/yaml-source.ts';
import type { TextFile } from './project-files.ts';
import type { RawConfig } from './config-tree.ts';
import type { SourceFreshness } from './types.ts';

type Path = (string | number)[];

/** A generic test as declared: `- unique`, `- accepted_values: {values: [...]}`, ... */
export interface TestSpec {
  readonly testName: string;
  readonly namespace?: string;
  /** A name given with `name:` (dbt lets a test be named explicitly). */
  readonly customName?: string;
  readonly kwargs: Record<string, unknown>;
  readonly config: RawConfig;
  readonly column?: string;
  readonly location: Location;
  readonly file: string;
}

export interface ColumnProps {
  readonly name: string;
  readonly description: string;
  readonly data_type?: string;
  readonly tags: string[];
  readonly meta: Record<string, unknown>;
  readonly tests: TestSpec[];
}

export interface NodeProps {
  readonly name: string;
  readonly description: string;
  readonly config: RawConfig;
  readonly columns: ColumnProps[];
  readonly tests: TestSpec[];
  readonly meta: Record<string, unknown>;
  readonly file: string;
  readonly location: Location;
  /** Where each key of `config:` was written. */
  readonly configWhere: (key: string) => Location;
}

export interface SourceTableProps extends NodeProps {
  readonly sourceName: string;
  readonly sourceDescription: string;
  readonly schema: string;
  readonly identifier: string;
  readonly loadedAtField?: string;
  readonly freshness?: SourceFreshness;
  readonly tags: string[];
  readonly enabled: boolean;
}

export interface Properties {
  models: NodeProps[];
  seeds: NodeProps[];
  /** `snapshots:` entries: a SQL snapshot's properties, or a YAML snapshot's (dbt 1.9; its relation is read by validate-project.ts). */
  snapshots: NodeProps[];
  sources: SourceTableProps[];
}

const TEST_CONFIG_KEYS = ['severity', 'where', 'limit', 'warn_if', 'error_if', 'store_failures', 'tags', 'enabled', 'meta'];
const IGNORED_TOP_KEYS = [
  'version',
  'exposures',
  'metrics',
  'macros',
  'analyses',
  'semantic_models',
  'saved_queries',
  'groups',
  'unit_tests',
];

/** Parses the property files read (pure: project-files.ts did the I/O). */
/** dbt sections this engine reads but does not use: each is a warning naming the file, never silence. */
const UNUSED_SECTIONS = ['metrics', 'semantic_models', 'saved_queries', 'unit_tests', 'analyses', 'groups'];

export function parseProperties(files: readonly TextFile[], problems: Problem[], warnings: Problem[] = []): Properties {
  const out: Properties = { models: [], seeds: [], snapshots: [], sources: [] };
  for (const f of files) {
    let src: YamlSource;
    try {
      src = parseYaml(f.text, f.original_file_path);
    } catch (err) {
      if (err instanceof ConfigError) {
        problems.push(...err.problems);
        continue;
      }
      throw err;
    }
    parsePropertyFile(src, f.original_file_path, out, problems);
    const top = src.value;
    if (top && typeof top === 'object' && !Array.isArray(top)) {
      const unused = Object.keys(top).filter((k) => UNUSED_SECTIONS.includes(k));
      if (unused.length > 0) {
        warnings.push({
          message: `${unused.join(', ')}: read, but not used by this engine (nothing is built or checked from ${unused.length === 1 ? 'it' : 'them'}).`,
          location: src.locate([unused[0]!]),
        });
      }
    }
  }
  return out;
}

export function parsePropertyFile(src: YamlSource, file: string, out: Properties, problems: Problem[]): void {
  const at = (path: Path) => src.locate(path);
  const problem = (path: Path, message: string): void => void problems.push({ message, path: path.join('.'), location: at(path) });
  const top = src.value;
  if (top === null || top === undefined) return;
  if (typeof top !== 'object' || Array.isArray(top)) return problem([], 'expected a mapping with sources:, models: or seeds:');
  for (const key of Object.keys(top)) {
    if (!['sources', 'models', 'seeds', 'snapshots', ...IGNORED_TOP_KEYS].includes(key)) {
      problem(
        [key],
        `unknown section '${key}'. Known sections: sources, models, seeds, snapshots (and dbt's ${IGNORED_TOP_KEYS.join(', ')}, which are ignored).`,
      );
    }
  }
  const t = top as Record<string, unknown>;
  for (const kind of ['models', 'seeds', 'snapshots'] as const) {
    listAt(t[kind], [kind], problem).forEach((entry, i) => {
      const node = nodeProps(entry, [kind, i], file, at, problem);
      if (node) out[kind].push(node);
    });
  }
  listAt(t.sources, ['sources'], problem).forEach((source, i) => {
    if (!isMap(source) || typeof source.name !== 'string') return problem(['sources', i], 'a source needs a name: (e.g. - name: staging)');
    const sourceName = source.name;
    const tables = listAt(source.tables, ['sources', i, 'tables'], problem);
    tables.forEach((table, j) => {
      const path: Path = ['sources', i, 'tables', j];
      const node = nodeProps(table, path, file, at, problem);
      if (!node) return;
      const tbl = table as Record<string, unknown>;
      const sourceConfig = isMap(source.config) ? source.config : {};
      const tags = [...strList(source.tags), ...strList(sourceConfig.tags), ...strList(tbl.tags), ...strList(node.config.tags)];
      out.sources.push({
        ...node,
        sourceName,
        sourceDescription: str(source.description),
        schema: typeof source.schema === 'string' ? source.schema : sourceName,
        identifier: typeof tbl.identifier === 'string' ? tbl.identifier : node.name,
        loadedAtField: (tbl.loaded_at_field ?? source.loaded_at_field) as string | undefined,
        freshness: (tbl.freshness ?? source.freshness ?? undefined) as SourceFreshness | undefined,
        tags,
        enabled: sourceConfig.enabled !== false && node.config.enabled !== false,
      });
    });
  });
}

function nodeProps(
  entry: unknown,
  path: Path,
  file: string,
  at: (p: Path) => Location,
  problem: (p: Path, m: string) => void,
): NodeProps | undefined {
  if (!isMap(entry) || typeof entry.name !== 'string' || entry.name === '') {
    problem(path, 'each entry needs a name: (the model, seed or table it describes)');
    return undefined;
  }
  const config = isMap(entry.config) ? { ...entry.config } : {};
  if (entry.config !== undefined && !isMap(entry.config)) problem([...path, 'config'], 'expected a mapping of configs');
  const columns: ColumnProps[] = [];
  listAt(entry.columns, [...path, 'columns'], problem).forEach((col, k) => {
    const cpath = [...path, 'columns', k];
    if (!isMap(col) || typeof col.name !== 'string') return problem(cpath, 'each column needs a name:');
    columns.push({
      name: col.name,
      description: str(col.description),
      data_type: typeof col.data_type === 'string' ? col.data_type : undefined,
      tags: strList(col.tags),
      meta: isMap(col.meta) ? col.meta : {},
      tests: testSpecs(col, cpath, file, at, problem, col.name),
    });
  });
  return {
    name: entry.name,
    description: str(entry.description),
    config,
    columns,
    tests: testSpecs(entry, path, file, at, problem, undefined),
    meta: isMap(entry.meta) ? entry.meta : {},
    file,
    location: at(path),
    configWhere: (key) => at([...path, 'config', key]),
  };
}

function testSpecs(
  owner: Record<string, unknown>,
  path: Path,
  file: string,
  at: (p: Path) => Location,
  problem: (p: Path, m: string) => void,
  column: string | undefined,
): TestSpec[] {
  const out: TestSpec[] = [];
  for (const key of ['tests', 'data_tests'] as const) {
    listAt(owner[key], [...path, key], problem).forEach((raw, i) => {
      const tpath = [...path, key, i];
      const location = at(tpath);
      if (typeof raw === 'string') {
        out.push({ ...splitName(raw), kwargs: {}, config: {}, column, location, file });
        return;
      }
      if (!isMap(raw) || Object.keys(raw).length === 0) {
        return problem(tpath, 'a test is a name (- unique) or a mapping (- accepted_values: {values: [...]})');
      }
      let testName: string;
      let body: Record<string, unknown>;
      if (typeof raw.test_name === 'string') {
        testName = raw.test_name;
        body = { ...raw };
        delete body.test_name;
      } else {
        const keys = Object.keys(raw);
        if (keys.length !== 1) {
          return problem(
            tpath,
            `a test mapping has one key, the test's name (got ${keys.join(', ')}). To fix this, nest the arguments under the name.`,
          );
        }
        testName = keys[0]!;
        const v = raw[testName];
        if (v !== null && v !== undefined && !isMap(v)) return problem([...tpath, testName], 'expected the test arguments as a mapping');
        body = { ...(v ?? {}) };
      }
      const config: RawConfig = isMap(body.config) ? { ...body.config } : {};
      delete body.config;
      const customName = typeof body.name === 'string' ? body.name : undefined;
      delete body.name;
      for (const k of TEST_CONFIG_KEYS) {
        if (k in body) {
          config[k] ??= body[k];
          delete body[k];
        }
      }
      // dbt 1.10 nests test arguments under `arguments:`.
      const kwargs = isMap(body.arguments) ? { ...body.arguments } : body;
      if (isMap(body.arguments)) delete body.arguments;
      if (body.column_name !== undefined && column === undefined) column = String(body.column_name);
      out.push({ ...splitName(testName), customName, kwargs, config, column, location, file });
    });
  }
  return out;
}

function splitName(name: string): { testName: string; namespace?: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { testName: name.slice(dot + 1), namespace: name.slice(0, dot) } : { testName: name };
}

function listAt(value: unknown, path: Path, problem: (p: Path, m: string) => void): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problem(path, 'expected a list (lines starting with -)');
    return [];
  }
  return value;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
