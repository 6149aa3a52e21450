/**
 * Checks of the project's tests that need no database, run before anything is built: every
 * problem at once, each with the YAML file and line. A test whose arguments are wrong would
 * otherwise fail late, after tables were built, with a server error that names no file.
 */
import type { Problem } from '../../platform/errors.ts';
import type { Project, TestNode } from '../project/types.ts';
import { attachedNode, findTarget, isBuiltin } from './compile-tests.ts';
import { parseThreshold } from './thresholds.ts';

export function validateTests(project: Project, tests: readonly TestNode[], customTests: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  for (const t of tests) {
    const where = { file: t.original_file_path, line: t.location.line };
    const problem = (message: string) => problems.push({ message: `test '${t.name}': ${message}`, location: where });
    for (const [key, text] of [
      ['warn_if', t.config.warn_if],
      ['error_if', t.config.error_if],
    ] as const) {
      const th = parseThreshold(text);
      if (typeof th === 'string') problem(`${key} ${th}.`);
    }
    if (t.kind === 'singular') continue;
    const meta = t.test_metadata;
    if (!meta) {
      problem('has no test name. To fix this, write it as `- unique` or `- accepted_values: {values: [...]}`.');
      continue;
    }
    const node = attachedNode(project, t);
    if (!node) {
      problem(`is attached to ${t.attached_node ?? 'nothing'}, which is not in the project.`);
      continue;
    }
    const column = t.column_name ?? meta.kwargs.column_name;
    const known = isBuiltin(meta.name);
    if (!known && !customTests.has(meta.name)) {
      problem(
        `'${meta.name}' is not a known test. Built-in tests: unique, not_null, accepted_values, relationships${
          customTests.size ? `; custom tests: ${[...customTests].sort().join(', ')}` : ''
        }. To fix this, correct the name or define it with {% test ${meta.name}(model, column_name) %} in a macro file.`,
      );
      continue;
    }
    if (known && typeof column !== 'string') {
      problem(
        `'${meta.name}' needs a column. To fix this, declare it under the column (columns: - name: ... tests: [${meta.name}]) or pass column_name.`,
      );
      continue;
    }
    if (meta.name === 'accepted_values') {
      const values = meta.kwargs.values;
      if (!Array.isArray(values) || values.length === 0) {
        problem('accepted_values needs a non-empty list of values. To fix this, add `values: [a, b, ...]` to the test.');
      }
    }
    if (meta.name === 'relationships') {
      const to = meta.kwargs.to;
      if (typeof meta.kwargs.field !== 'string') {
        problem('relationships needs `field:` (the column of the target). To fix this, add e.g. `field: id`.');
      }
      if (typeof to !== 'string') {
        problem("relationships needs `to:`, e.g. `to: ref('stg_tenants')` or `to: source('staging', 'tenants')`.");
      } else if (!findTarget(project, to)) {
        problem(`relationships target ${to} does not exist in the project. To fix this, name an existing model, seed or source.`);
      }
    }
  }
  return problems;
}
