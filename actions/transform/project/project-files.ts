/**
 * Reading a project's files: the only I/O of reading a project. Every macro, model, seed, test,
 * property and docs file of one project (the root project or an installed package) is read into
 * memory here; validate-project.ts turns them into a Project without touching the disk, so its
 * checks are pure and report every problem at once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, type PipelineConfig } from '../../platform/config.ts';
import { findFiles, type ProjectFile } from './files.ts';

/** A text file of the project, read. */
export interface TextFile extends ProjectFile {
  readonly text: string;
}

/** A seed CSV, read as bytes (its checksum covers the bytes as written). */
export interface BinaryFile extends ProjectFile {
  readonly bytes: Buffer;
}

/** Everything one project (root or package) holds, read from disk. */
export interface ProjectFiles {
  /** Absolute directory of the project. */
  readonly rootDir: string;
  readonly config: PipelineConfig;
  readonly macros: readonly TextFile[];
  readonly models: readonly TextFile[];
  readonly seeds: readonly BinaryFile[];
  /** Singular tests (`.sql` in test-paths). */
  readonly tests: readonly TextFile[];
  /** `.yml`/`.yaml` property files in model-paths, seed-paths and snapshot-paths. */
  readonly properties: readonly TextFile[];
  /** `.md` files with `{% docs %}` blocks, in docs-paths. */
  readonly docs: readonly TextFile[];
  /** dbt snapshot files (`.sql` in snapshot-paths, `{% snapshot name %}` blocks). */
  readonly snapshots?: readonly TextFile[];
}

const readText = (f: ProjectFile): TextFile => ({ ...f, text: readFileSync(f.file, 'utf8') });

export function readProjectFiles(rootDir: string, config: PipelineConfig): ProjectFiles {
  const propertyDirs = [...config.modelPaths, ...config.seedPaths, ...config.snapshotPaths];
  // `<test-path>/generic/` holds generic test definitions ({% test %} blocks): macros, as in dbt.
  const genericDirs = config.testPaths.map((p) => `${p}/generic`);
  const isGeneric = (f: ProjectFile) => genericDirs.some((d) => f.original_file_path.startsWith(`${d}/`));
  return {
    rootDir,
    config,
    macros: [...findFiles(rootDir, config.macroPaths, ['.sql', '.jinja']), ...findFiles(rootDir, genericDirs, ['.sql'])].map(readText),
    models: findFiles(rootDir, config.modelPaths, ['.sql']).map(readText),
    seeds: findFiles(rootDir, config.seedPaths, ['.csv']).map((f) => ({ ...f, bytes: readFileSync(f.file) })),
    tests: findFiles(rootDir, config.testPaths, ['.sql'])
      .filter((f) => !isGeneric(f))
      .map(readText),
    properties: findFiles(rootDir, propertyDirs, ['.yml', '.yaml']).map(readText),
    docs: findFiles(rootDir, config.docsPaths, ['.md']).map(readText),
    snapshots: findFiles(rootDir, config.snapshotPaths, ['.sql']).map(readText),
  };
}

/**
 * The packages installed by `deps` (`<packages-install-path>/<name>/`, each with its
 * dbt_project.yml), read like the root project, in name order.
 */
export function readPackages(rootDir: string, config: PipelineConfig): ProjectFiles[] {
  const dir = join(rootDir, config.packagesInstallPath);
  if (!existsSync(dir)) return [];
  const out: ProjectFiles[] = [];
  for (const name of readdirSync(dir).sort()) {
    const pkgDir = join(dir, name);
    if (name.startsWith('.') || !existsSync(join(pkgDir, 'dbt_project.yml'))) continue;
    out.push(readProjectFiles(pkgDir, readConfig(pkgDir)));
  }
  return out;
}
