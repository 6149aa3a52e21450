/**
 * dbt's analyses: SQL files in analysis-paths (default `analyses/`) that use ref(), source() and
 * macros like models but are never run. `compile` renders each into
 * target/compiled/<project>/<analysis path>.sql, ready to paste into a SQL client.
 * https://docs.getdbt.com/docs/build/analyses
 */
import { readFileSync } from 'node:fs';
import { findFiles } from './files.ts';
import { resolvingHooks } from './compile.ts';
import { runtimeOf } from './project-runtime.ts';
import type { Project, RelationResolver } from './types.ts';

export interface CompiledAnalysis {
  /** Relative to the project (`analyses/monthly_revenue.sql`), as target/compiled/ mirrors it. */
  readonly original_file_path: string;
  readonly sql: string;
}

/** Every analysis of the project, compiled against `resolver`; throws TemplateError naming the file. */
export function compileAnalyses(project: Project, resolver: RelationResolver): CompiledAnalysis[] {
  const { engine } = runtimeOf(project);
  return findFiles(project.rootDir, project.config.analysisPaths, ['.sql']).map((f) => {
    const template = engine.compile(readFileSync(f.file, 'utf8'), f.original_file_path);
    return {
      original_file_path: f.original_file_path,
      sql: engine.render(template, f.original_file_path, resolvingHooks(project, resolver)),
    };
  });
}
