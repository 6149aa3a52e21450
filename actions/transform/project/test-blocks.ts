/**
 * Custom generic tests, written the way dbt users write them:
 *
 *   {% test is_positive(model, column_name) %} select * from {{ model }} where {{ column_name }} <= 0 {% endtest %}
 *
 * nunjucks has no `test` block, so before the macro files reach the template environment each
 * test block is rewritten into a macro named `test_<name>` (dbt's own internal name for it):
 * `{% macro test_is_positive(model, column_name) %} ... {% endmacro %}`. The rewrite keeps every
 * newline, so template errors still point at the right line of the file.
 */

const TEST_OPEN = /\{%(-?)\s*test\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*(-?)%\}/g;
const TEST_CLOSE = /\{%(-?)\s*endtest\s*(-?)%\}/g;

export interface TestMacroDef {
  /** Name as used in YAML (`is_positive`). */
  readonly name: string;
  /** Parameter names, e.g. ['model', 'column_name', 'min']. */
  readonly params: readonly string[];
  readonly file: string;
  readonly line: number;
}

/** The macro name a custom generic test becomes. */
export function testMacroName(name: string): string {
  return `test_${name}`;
}

/** Rewrites `{% test %}` blocks into macros and lists the tests found. */
export function rewriteTestBlocks(text: string, file: string): { text: string; tests: TestMacroDef[] } {
  const tests: TestMacroDef[] = [];
  const rewritten = text
    .replace(TEST_OPEN, (match, lt: string, name: string, params: string, rt: string, offset: number) => {
      const line = text.slice(0, offset).split('\n').length;
      tests.push({
        name,
        params: params
          .split(',')
          .map((p) => p.split('=')[0]!.trim())
          .filter((p) => p.length > 0),
        file,
        line,
      });
      return `{%${lt} macro ${testMacroName(name)}(${params}) ${rt}%}`;
    })
    .replace(TEST_CLOSE, (_m, lt: string, rt: string) => `{%${lt} endmacro ${rt}%}`);
  return { text: rewritten, tests };
}
