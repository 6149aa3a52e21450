/** Writes a small project to a temporary directory: `{ 'pipeline.yml': '...', 'models/a.sql': '...' }`. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readConfig } from '../../actions/platform/config.ts';
import { readProject, type ReadProjectOptions } from '../../actions/transform/project/read-project.ts';
import type { Project } from '../../actions/transform/project/types.ts';

/**
 * dbt's documented generate_schema_name fix (a custom schema used as it is), which most tests'
 * projects carry so their schemas are the names they check; `dbtDefaultNaming` leaves it out.
 */
export const VERBATIM_SCHEMA_MACRO = `{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}`;

export function writeProject(files: Record<string, string | Buffer>, o: { dbtDefaultNaming?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'proj-'));
  const isProject = 'pipeline.yml' in files || 'dbt_project.yml' in files;
  const all = isProject && !o.dbtDefaultNaming ? { 'macros/generate_schema_name.sql': VERBATIM_SCHEMA_MACRO, ...files } : files;
  for (const [path, text] of Object.entries(all)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

export const BASIC_CONFIG =
  'name: demo\nschema: demo\nmodel-paths: [models]\nseed-paths: [seeds]\ntest-paths: [tests]\nmacro-paths: [macros]\n';

export function projectOf(files: Record<string, string | Buffer>, options?: ReadProjectOptions & { dbtDefaultNaming?: boolean }): Project {
  const dir = writeProject({ 'pipeline.yml': BASIC_CONFIG, ...files }, { dbtDefaultNaming: options?.dbtDefaultNaming });
  return readProject(dir, readConfig(dir), options);
}
