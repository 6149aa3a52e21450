/**
 * Test nodes from YAML: a generic test (`unique`, `not_null`, `accepted_values`, `relationships`,
 * or a namespaced one) declared on a model, seed, source or column becomes a TestNode with a
 * dbt-style name and unique_id, its merged config and the YAML line that declared it.
 */
import { createHash } from 'node:crypto';
import type { Location, Problem } from '../../platform/errors.ts';
import { mergeConfig, testHookWarnings, treeLayers, validateConfigValues, type RawConfig } from './config-tree.ts';
import type { TestSpec } from './properties.ts';
import type { RefCall, SourceCall, TestConfig, TestNode } from './types.ts';

export interface TestOwner {
  readonly unique_id: string;
  readonly resource_type: 'model' | 'seed' | 'source';
  /** Model/seed name, or `source_table` pieces for a source. */
  readonly name: string;
  readonly source_name?: string;
}

export interface TestContext {
  projectName: string;
  testsTree: Record<string, unknown>;
  locateInConfig: (path: (string | number)[]) => Location;
  /** Where findings that are not problems go (hooks set on a test). Default: nowhere. */
  warnings?: Problem[];
}

const REF_IN_ARG = /^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$/;
const SOURCE_IN_ARG = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/;

/** `ref('x')` / `source('a', 'b')` written as a test argument (e.g. relationships' `to:`). */
export function parseRelationArg(value: unknown): { ref?: RefCall; source?: SourceCall } {
  if (typeof value !== 'string') return {};
  const r = REF_IN_ARG.exec(value);
  if (r) return { ref: r[2] ? { package: r[1], name: r[2] } : { name: r[1]! } };
  const s = SOURCE_IN_ARG.exec(value);
  if (s) return { source: { source: s[1]!, table: s[2]! } };
  return {};
}

function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).join('__');
  if (value && typeof value === 'object') return Object.values(value).map(flatten).join('__');
  return String(value);
}

/** dbt's naming: `unique_stg_rooms_room_id`, `source_not_null_staging_movings_id`, plus argument values. */
export function testName(spec: TestSpec, owner: TestOwner): string {
  if (spec.customName) return spec.customName;
  const head =
    owner.resource_type === 'source' ? `source_${spec.testName}_${owner.source_name}_${owner.name}` : `${spec.testName}_${owner.name}`;
  const parts = [head];
  if (spec.column) parts.push(spec.column);
  let name = parts.join('_');
  const args = Object.entries(spec.kwargs)
    .filter(([k]) => k !== 'column_name' && k !== 'model')
    .map(([, v]) => flatten(v))
    .join('__');
  if (args) name += `__${args}`;
  name = name.replace(/[^A-Za-z0-9_]+/g, '_');
  if (name.length > 63) name = `${name.slice(0, 30)}_${createHash('md5').update(name).digest('hex').slice(0, 16)}`;
  return name;
}

export function buildGenericTest(spec: TestSpec, owner: TestOwner, ctx: TestContext, problems: Problem[]): TestNode | undefined {
  const name = testName(spec, owner);
  const hash = createHash('sha256')
    .update(JSON.stringify([spec.testName, spec.namespace ?? '', owner.unique_id, spec.column ?? '', spec.kwargs]))
    .digest('hex');
  const unique_id = `test.${ctx.projectName}.${name}.${hash.slice(0, 10)}`;
  const fileParts = spec.file.split('/');
  fileParts.shift();
  const folders = fileParts.slice(0, -1);
  const fqn = [ctx.projectName, ...folders, name];
  const tree = treeLayers(ctx.testsTree, fqn, 'test', ctx.locateInConfig, 'tests');
  const raw = mergeConfig([...tree.map((l) => l.values), spec.config]);
  const found = validateConfigValues(
    'test',
    raw,
    (key) => (key in spec.config ? spec.location : tree.find((l) => key in l.values)?.where(key)),
    `test ${name}`,
  );
  problems.push(...found);
  ctx.warnings?.push(...testHookWarnings(spec.config, `test ${name}`, () => spec.location));
  if (found.length > 0) return undefined;
  const config = testConfig(raw);
  const refs: RefCall[] = [];
  const sources: SourceCall[] = [];
  for (const v of Object.values(spec.kwargs)) {
    const rel = parseRelationArg(v);
    if (rel.ref) refs.push(rel.ref);
    if (rel.source) sources.push(rel.source);
  }
  return {
    unique_id,
    resource_type: 'test',
    kind: 'generic',
    name,
    package_name: ctx.projectName,
    original_file_path: spec.file,
    path: spec.file,
    fqn,
    tags: config.tags,
    description: '',
    columns: {},
    meta: config.meta,
    location: spec.location,
    checksum: { name: 'sha256', checksum: hash },
    config,
    test_metadata: { name: spec.testName, namespace: spec.namespace, kwargs: spec.kwargs },
    attached_node: owner.unique_id,
    column_name: spec.column,
    file: spec.file,
    depends_on: { nodes: [owner.unique_id], macros: [] },
    refs,
    sources,
  };
}

/** Test config with dbt's defaults: severity error, warn_if/error_if `!= 0`. */
export function testConfig(raw: RawConfig): TestConfig {
  return {
    enabled: raw.enabled !== false,
    severity: String(raw.severity ?? 'error').toLowerCase() === 'warn' ? 'warn' : 'error',
    warn_if: typeof raw.warn_if === 'string' ? raw.warn_if : '!= 0',
    error_if: typeof raw.error_if === 'string' ? raw.error_if : '!= 0',
    where: typeof raw.where === 'string' ? raw.where : undefined,
    limit: typeof raw.limit === 'number' ? raw.limit : undefined,
    store_failures: raw.store_failures === true,
    fail_calc: typeof raw.fail_calc === 'string' ? raw.fail_calc : undefined,
    tags: (raw.tags as string[]) ?? [],
    meta: (raw.meta as Record<string, unknown>) ?? {},
  };
}
