/**
 * Reading a project: pipeline.yml (or dbt_project.yml) has been read into a PipelineConfig; this
 * reads the project's files (project-files.ts, the I/O) and validates them into a frozen
 * `Project` (validate-project.ts, pure). Every problem is reported at once (a ConfigError: exit 2)
 * before anything runs.
 */
import type { PipelineConfig } from '../../platform/config.ts';
import { ConfigError } from '../../platform/errors.ts';
import { readProjectFiles } from './project-files.ts';
import { attachRuntime } from './project-runtime.ts';
import { openTemplateCache } from './template-cache.ts';
import type { Project } from './types.ts';
import { validateProject, type ValidateProjectOptions } from './validate-project.ts';

export interface ReadProjectOptions extends Omit<ValidateProjectOptions, 'cache'> {
  /** Where compiled templates are cached between runs (target/template-cache.json). Default: no cache. */
  templateCacheFile?: string;
}

/** Reads and validates the whole project; throws ConfigError with every problem found. */
export function readProject(rootDir: string, config: PipelineConfig, options: ReadProjectOptions = {}): Project {
  const files = readProjectFiles(rootDir, config);
  const cache = options.templateCacheFile ? openTemplateCache(options.templateCacheFile) : undefined;
  const result = validateProject(files, { ...options, cache });
  cache?.save();
  if (!result.project || !result.runtime) throw new ConfigError([...result.problems]);
  attachRuntime(result.project, result.runtime);
  return result.project;
}
