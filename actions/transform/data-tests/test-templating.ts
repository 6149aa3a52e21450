/**
 * The engine's templating, as data tests need it: a custom generic test is a call of its
 * `test_<name>` macro (rewritten from `{% test %}` when the macros were read), rendered through the
 * same nunjucks environment as the models, so the macro can use ref(), source(), var() and other
 * macros; a singular test compiles like a model.
 */
import type nunjucks from 'nunjucks';
import { compileNode, resolvingHooks } from '../project/compile.ts';
import { runtimeOf } from '../project/project-runtime.ts';
import type { Project, RelationResolver, TestNode } from '../project/types.ts';
import type { TestTemplating } from './compile-tests.ts';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function projectTestTemplating(project: Project, resolver: RelationResolver): TestTemplating {
  const { engine } = runtimeOf(project);
  const calls = new Map<string, nunjucks.Template>();
  return {
    renderSingular: (test) => compileNode(project, test.unique_id, resolver),
    renderTestMacro(test: TestNode, macro: string, kwargs: Record<string, unknown>): string {
      const names = Object.keys(kwargs)
        .filter((k) => IDENT.test(k))
        .sort();
      const source = `{{ ${macro}(${names.map((n) => `${n}=__test_args.${n}`).join(', ')}) }}`;
      let template = calls.get(source);
      if (!template) {
        template = engine.compile(source, test.original_file_path);
        calls.set(source, template);
      }
      return engine.render(template, test.original_file_path, resolvingHooks(project, resolver), { __test_args: kwargs });
    },
  };
}

/** Names of the custom generic tests the project's macros define (`test_<name>` macros). */
export function customTestNames(project: Project): Set<string> {
  const out = new Set<string>();
  for (const m of project.macros.values()) if (m.name.startsWith('test_')) out.add(m.name.slice('test_'.length));
  return out;
}
