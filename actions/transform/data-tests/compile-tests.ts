/**
 * Turns the project's test nodes into runnable queries against wherever the run's resolver puts
 * relations (the shadow during write-audit-publish, the published schemas otherwise). Built-in
 * generic tests become the SQL of generic-sql.ts; a custom generic test calls its
 * `test_<name>` macro through the engine's templating; a singular test is its own rendered SQL.
 */
import type { ModelNode, Project, RelationNode, RelationResolver, TestNode } from '../project/types.ts';
import { BUILTIN_TESTS, acceptedValuesSql, fromItem, notNullSql, relationshipsSql, uniqueSql } from './generic-sql.ts';
import { parseThreshold, type Threshold } from './thresholds.ts';
import { EPHEMERAL_PREFIX } from '../project/compile.ts';
import { subqueryRelation } from '../project/dbt-relation.ts';
import { makeRelation } from '../project/resolver.ts';
import type { CompiledTest } from './test-runner.ts';

/** Renders the SQL of what the engine's templating owns: custom test macros and singular tests. */
export interface TestTemplating {
  /** Calls the macro `test_<name>` with keyword arguments; returns the rendered SQL. */
  renderTestMacro(test: TestNode, macro: string, kwargs: Record<string, unknown>): Promise<{ sql: string; failCalc?: string }>;
  /** Renders an ephemeral model's SQL (a test on it reads it as a subquery, as dbt inlines it). */
  renderEphemeral(node: ModelNode): Promise<string>;
  /** Renders a singular test's SQL (ref/source/var resolved by the run's resolver). */
  renderSingular(test: TestNode): Promise<string>;
}

const REF_CALL = /^\s*ref\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]+)\3\s*)?\)\s*$/;
const SOURCE_CALL = /^\s*source\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3\s*\)\s*$/;

/**
 * Finds the node a `relationships` test's `to:` names (`ref('x')`, `ref('pkg', 'x')`,
 * `source('s', 't')`); undefined when it names nothing in the project.
 */
export function findTarget(project: Project, to: unknown): RelationNode | undefined {
  if (typeof to !== 'string') return undefined;
  const ref = REF_CALL.exec(to);
  if (ref) {
    const name = ref[4] ?? ref[2];
    for (const node of project.nodes.values()) {
      if ((node.resource_type === 'model' || node.resource_type === 'seed') && node.name === name) return node;
    }
    return undefined;
  }
  const src = SOURCE_CALL.exec(to);
  if (src) {
    for (const s of project.sources.values()) if (s.source_name === src[2] && s.name === src[4]) return s;
  }
  return undefined;
}

export function attachedNode(project: Project, test: TestNode): RelationNode | undefined {
  if (!test.attached_node) return undefined;
  return (project.nodes.get(test.attached_node) as RelationNode | undefined) ?? project.sources.get(test.attached_node);
}

function threshold(text: string): Threshold {
  const t = parseThreshold(text);
  // Validated before the run (validate-tests.ts); a bad one here is a bug.
  if (typeof t === 'string') throw new Error(t);
  return t;
}

export async function compileTest(
  project: Project,
  test: TestNode,
  resolver: RelationResolver,
  templating: TestTemplating,
): Promise<CompiledTest> {
  const base = {
    uniqueId: test.unique_id,
    name: test.name,
    severity: test.config.severity,
    warnIf: threshold(test.config.warn_if),
    errorIf: threshold(test.config.error_if),
    limit: test.config.limit,
    storeFailures: test.config.store_failures,
    file: test.original_file_path,
    line: test.location.line,
  };
  if (test.kind === 'singular') return { ...base, sql: await templating.renderSingular(test) };
  const meta = test.test_metadata!;
  const node = attachedNode(project, test);
  if (!node) throw new Error(`test ${test.unique_id} has no attached node`);
  const ephemeral = node.resource_type === 'model' && node.config.materialized === 'ephemeral';
  const rel = ephemeral ? makeRelation('', EPHEMERAL_PREFIX + node.name) : resolver.resolve(node);
  const from = ephemeral
    ? ephemeralFrom(await templating.renderEphemeral(node), test.config.where)
    : fromItem({ schema: rel.schema, table: rel.identifier }, test.config.where);
  const column = test.column_name ?? (meta.kwargs.column_name as string | undefined);
  const kwargs = meta.kwargs;
  switch (meta.name) {
    case 'unique':
      return { ...base, sql: uniqueSql(from, column!) };
    case 'not_null':
      return { ...base, sql: notNullSql(from, column!) };
    case 'accepted_values':
      return { ...base, sql: acceptedValuesSql(from, column!, kwargs.values as unknown[], kwargs.quote !== false) };
    case 'relationships': {
      const target = findTarget(project, kwargs.to)!;
      const to = resolver.resolve(target);
      return { ...base, sql: relationshipsSql(from, column!, String(to), String(kwargs.field)) };
    }
    default: {
      // dbt passes `model` as a relation (under `where`, the filtered subquery, aliased as dbt does).
      const model =
        test.config.where || ephemeral ? subqueryRelation(rel, `${from} AS ${ephemeral ? rel.identifier : 'dbt_subquery'}`) : rel;
      const args: Record<string, unknown> = { ...kwargs, model };
      if (column !== undefined) args.column_name = column;
      const rendered = await templating.renderTestMacro(test, `test_${meta.name}`, args);
      const failCalc = rendered.failCalc ?? test.config.fail_calc;
      return { ...base, sql: rendered.sql, ...(failCalc ? { failCalc } : {}) };
    }
  }
}

/** An ephemeral model as a FROM item: its query in parentheses (filtered by `where`). */
function ephemeralFrom(sql: string, where?: string): string {
  return where ? `(SELECT * FROM (${sql}) AS e WHERE ${where})` : `(${sql})`;
}

export function isBuiltin(name: string): boolean {
  return (BUILTIN_TESTS as readonly string[]).includes(name);
}
