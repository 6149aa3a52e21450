/** Writes a small project to a temporary directory: `{ 'pipeline.yml': '...', 'models/a.sql': '...' }`. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readConfig } from '../../actions/platform/config.ts';
import { readProject, type ReadProjectOptions } from '../../actions/transform/project/read-project.ts';
import type { Project } from '../../actions/transform/project/types.ts';

export function writeProject(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'proj-'));
  for (const [path, text] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return dir;
}

export const BASIC_CONFIG =
  'name: demo\nschema: demo\nmodel-paths: [models]\nseed-paths: [seeds]\ntest-paths: [tests]\nmacro-paths: [macros]\n';

export function projectOf(files: Record<string, string | Buffer>, options?: ReadProjectOptions): Project {
  const dir = writeProject({ 'pipeline.yml': BASIC_CONFIG, ...files });
  return readProject(dir, readConfig(dir), options);
}
