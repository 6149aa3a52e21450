/**
 * Does the column a test names exist? Asked of information_schema for a relation that is already
 * on the server: before the run (published relations and loaded sources, so that `pipeline test`
 * reports a misspelt column as a project error before running anything), and again right before
 * each test (a relation the run itself builds is known only then).
 */
import type { Db } from '../../platform/db.ts';
import type { Project, RelationResolver, TestNode } from '../project/types.ts';
import type { Problem } from '../../platform/errors.ts';
import { attachedNode } from './compile-tests.ts';

export class ColumnCache {
  private readonly cache = new Map<string, Promise<Set<string> | undefined>>();
  constructor(private readonly db: Db) {}

  /** Lower-cased column names of a relation, or undefined when it does not exist. */
  columns(schema: string, table: string): Promise<Set<string> | undefined> {
    const key = `${schema}\u0000${table}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.db
        .query<{ c: string }>('SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [
          schema,
          table,
        ])
        .then((rows) => (rows.length === 0 ? undefined : new Set(rows.map((r) => r.c.toLowerCase()))));
      this.cache.set(key, hit);
    }
    return hit;
  }

  forget(schema: string, table: string): void {
    this.cache.delete(`${schema}\u0000${table}`);
  }
}

/** The column a generic test is about, if any. */
export function testedColumn(test: TestNode): string | undefined {
  const c = test.column_name ?? test.test_metadata?.kwargs.column_name;
  return typeof c === 'string' ? c : undefined;
}

/** A message when the test's column is missing from its (existing) relation; undefined otherwise. */
export async function missingColumn(
  cache: ColumnCache,
  project: Project,
  test: TestNode,
  resolver: RelationResolver,
): Promise<string | undefined> {
  const column = testedColumn(test);
  const node = attachedNode(project, test);
  if (test.kind !== 'generic' || !column || !node) return undefined;
  // An ephemeral model has no relation on the server: the test reads its query.
  if (node.resource_type === 'model' && node.config.materialized === 'ephemeral') return undefined;
  const rel = resolver.resolve(node);
  const cols = await cache.columns(rel.schema, rel.identifier);
  if (!cols) {
    return `test '${test.name}' reads ${rel.schema}.${rel.identifier}, which does not exist. To fix this, build it first (pipeline build), or load the source.`;
  }
  if (cols.has(column.toLowerCase())) return undefined;
  const known = [...cols].sort().join(', ');
  return `test '${test.name}' is on the column '${column}', which ${rel.schema}.${rel.identifier} does not have (its columns: ${known}). To fix this, correct the column name in the YAML.`;
}

/** Problems for every test whose relation exists on the server but lacks the tested column. */
export async function checkColumns(db: Db, project: Project, tests: readonly TestNode[], resolver: RelationResolver): Promise<Problem[]> {
  const cache = new ColumnCache(db);
  const problems: Problem[] = [];
  for (const t of tests) {
    const message = await missingColumn(cache, project, t, resolver);
    // A relation that is not there yet is built by the run (or reported when its test runs).
    if (message && !message.includes('which does not exist'))
      problems.push({ message, location: { file: t.original_file_path, line: t.location.line } });
  }
  return problems;
}
