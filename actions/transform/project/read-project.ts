/**
 * Reading a project: pipeline.yml (or dbt_project.yml) has been read into a PipelineConfig; this
 * reads the project's files (project-files.ts, the I/O) and validates them into a frozen
 * `Project` (validate-project.ts, pure). Every problem is reported at once (a ConfigError: exit 2)
 * before anything runs.
 */
import type { PipelineConfig } from '../../platform/config.ts';
import { ConfigError } from '../../platform/errors.ts';
import { CROSS_DATABASE_MACROS } from '../macros/cross-database.ts';
import { NAMING_MACROS } from '../macros/naming.ts';
import { readPackages, readProjectFiles, type TextFile } from './project-files.ts';
import { attachRuntime } from './project-runtime.ts';
import { openTemplateCache } from './template-cache.ts';
import type { Project } from './types.ts';
import { validateProject, type ValidateProjectOptions } from './validate-project.ts';

export interface ReadProjectOptions extends Omit<ValidateProjectOptions, 'cache'> {
  /** Where compiled templates are cached between runs (target/template-cache.json). Default: no cache. */
  templateCacheFile?: string;
}

/** The engine's own macros (the `dbt` package), as files of a virtual `<engine>/macros/` folder. */
const BUILTIN_MACROS: readonly TextFile[] = [...CROSS_DATABASE_MACROS, ...NAMING_MACROS].map((m) => ({
  file: `<engine>/macros/${m.path}`,
  original_file_path: `<engine>/macros/${m.path}`,
  path: m.path,
  text: m.text,
}));

/** Reads and validates the whole project; throws ConfigError with every problem found. */
export function readProject(rootDir: string, config: PipelineConfig, options: ReadProjectOptions = {}): Project {
  const files = readProjectFiles(rootDir, config);
  const packages = readPackages(rootDir, config);
  const cache = options.templateCacheFile ? openTemplateCache(options.templateCacheFile) : undefined;
  const result = validateProject(files, { ...options, cache, packages, builtinMacros: BUILTIN_MACROS });
  cache?.save();
  if (!result.project || !result.runtime) throw new ConfigError([...result.problems]);
  attachRuntime(result.project, result.runtime);
  return result.project;
}
