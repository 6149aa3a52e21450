/**
 * The engine's templating, as data tests need it: a custom generic test is a call of its
 * `test_<name>` macro (rewritten from `{% test %}` when the macros were read), rendered through the
 * same nunjucks environment as the models, so the macro can use ref(), source(), var() and other
 * macros; a singular test compiles like a model.
 */
import type nunjucks from 'nunjucks';
import { compileNodeRunning, resolvingHooks } from '../project/compile.ts';
import { renderWithWarehouse, type QueryRunner } from '../project/warehouse.ts';
import { parseRelationArg } from '../project/generic-tests.ts';
import { runtimeOf } from '../project/project-runtime.ts';
import type { Project, RelationResolver, TestNode } from '../project/types.ts';
import type { TestTemplating } from './compile-tests.ts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRelationCall(v: unknown): boolean {
  const r = parseRelationArg(v);
  return r.ref !== undefined || r.source !== undefined;
}

/** Tests compile while running: `execute` is true and their queries run through `run`. */
export function projectTestTemplating(project: Project, resolver: RelationResolver, run: QueryRunner): TestTemplating {
  const { engine } = runtimeOf(project);
  const calls = new Map<string, nunjucks.Template>();
  return {
    renderSingular: (test) => compileNodeRunning(project, test.unique_id, resolver, run),
    renderEphemeral: (node) => compileNodeRunning(project, node.unique_id, resolver, run),
    async renderTestMacro(test: TestNode, macro: string, kwargs: Record<string, unknown>) {
      const names = Object.keys(kwargs)
        .filter((k) => IDENT.test(k))
        .sort();
      const callee = test.test_metadata?.namespace ? `${test.test_metadata.namespace}.${macro}` : macro;
      // A `ref('x')`/`source('a', 'b')` argument is evaluated (dbt hands the macro a relation).
      const arg = (n: string) => (isRelationCall(kwargs[n]) ? String(kwargs[n]).trim() : `__test_args.${n}`);
      const source = `{{ ${callee}(${names.map((n) => `${n}=${arg(n)}`).join(', ')}) }}`;
      let template = calls.get(source);
      if (!template) {
        template = engine.compile(source, test.original_file_path);
        calls.set(source, template);
      }
      const compiled = template;
      const model = test as unknown as Record<string, unknown>;
      // A test macro may set its fail_calc with config() (dbt_utils' equality does).
      const config: Record<string, unknown> = {};
      const sql = await renderWithWarehouse((warehouse) => {
        const hooks = {
          ...resolvingHooks(project, resolver, { warehouse, model }),
          config: (v: Record<string, unknown>) => void Object.assign(config, v),
        };
        return engine.render(compiled, test.original_file_path, hooks, { __test_args: kwargs });
      }, run);
      return { sql, failCalc: typeof config.fail_calc === 'string' ? config.fail_calc : undefined };
    },
  };
}

/** Names of the custom generic tests the project's macros define (`test_<name>` macros). */
export function customTestNames(project: Project): Set<string> {
  const out = new Set<string>();
  for (const m of project.macros.values()) if (m.name.startsWith('test_')) out.add(m.name.slice('test_'.length));
  return out;
}
