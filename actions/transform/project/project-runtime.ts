/**
 * What compiling a Project needs besides the Project itself: the template engine holding the
 * project's macros and the compiled template of every model and singular test. Kept beside the
 * frozen Project (a WeakMap), so the Project stays plain data that the manifest is written from.
 */
import type { Problem } from '../../platform/errors.ts';
import type { CompiledTemplate, TemplateEngine } from './templating.ts';
import type { Project } from './types.ts';

export interface ProjectRuntime {
  readonly engine: TemplateEngine;
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  /** Non-fatal findings (config paths matching nothing, deprecated keys). */
  readonly warnings: readonly Problem[];
}

const runtimes = new WeakMap<Project, ProjectRuntime>();

export function attachRuntime(project: Project, runtime: ProjectRuntime): void {
  runtimes.set(project, runtime);
}

export function runtimeOf(project: Project): ProjectRuntime {
  const rt = runtimes.get(project);
  if (!rt) throw new Error('internal: project was not read by readProject');
  return rt;
}
