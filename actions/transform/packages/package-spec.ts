/**
 * `packages.yml` / `dependencies.yml` (`packages:`), and `package-lock.yml`, read as dbt reads
 * them. `readPackageSpecs` does the I/O; `validatePackageSpecs` does none and returns every
 * problem at once with its dotted path. The lock's `sha1_hash` is computed the way dbt 1.7+
 * computes it (each spec as Python's `json.dumps(spec, sort_keys=True)`, sorted, joined by
 * newlines), so a lock written by dbt is recognised and used.
 * https://docs.getdbt.com/docs/build/packages
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../platform/errors.ts';
import { parseYaml, type YamlSource } from '../../platform/yaml-source.ts';

export type PackageSpec =
  | { readonly kind: 'hub'; readonly package: string; readonly version: readonly string[]; readonly raw: Record<string, unknown> }
  | {
      readonly kind: 'git';
      readonly git: string;
      readonly revision?: string;
      readonly subdirectory?: string;
      readonly raw: Record<string, unknown>;
    }
  | { readonly kind: 'local'; readonly local: string; readonly raw: Record<string, unknown> }
  | { readonly kind: 'tarball'; readonly tarball: string; readonly name?: string; readonly raw: Record<string, unknown> };

export interface PackageSpecs {
  /** The file read, or undefined when the project has none. */
  readonly file?: string;
  readonly specs: readonly PackageSpec[];
}

/** The first of packages.yml and dependencies.yml that exists, parsed (no packages: none). */
export function readPackagesFile(projectDir: string): YamlSource | undefined {
  for (const name of ['packages.yml', 'dependencies.yml']) {
    const file = join(projectDir, name);
    if (existsSync(file)) return parseYaml(readFileSync(file, 'utf8'), file);
  }
  return undefined;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function validatePackageSpecs(source: YamlSource | undefined): { specs: PackageSpec[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const specs: PackageSpec[] = [];
  if (!source || source.value === null || source.value === undefined) return { specs, problems };
  const problem = (path: (string | number)[], message: string) =>
    problems.push({ message: `${message} To fix this, correct ${source.file}.`, path: path.join('.'), location: source.locate(path) });
  if (!isMap(source.value)) {
    problem([], 'expected a mapping with packages: (a list).');
    return { specs, problems };
  }
  const list = source.value.packages;
  if (list === undefined || list === null) return { specs, problems };
  if (!Array.isArray(list)) {
    problem(['packages'], 'packages: is not a list.');
    return { specs, problems };
  }
  list.forEach((entry, i) => {
    const path = ['packages', i];
    if (!isMap(entry)) return problem(path, 'a package is a mapping (package:, git:, local: or tarball:).');
    const str = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string) : undefined);
    if (str('package')) {
      const v = entry.version;
      const version = typeof v === 'string' || typeof v === 'number' ? [String(v)] : Array.isArray(v) ? v.map(String) : undefined;
      if (!version)
        return problem([...path, 'version'], `hub package ${str('package')} needs a version (e.g. version: [">=1.0.0", "<2.0.0"]).`);
      specs.push({ kind: 'hub', package: str('package')!, version, raw: entry });
    } else if (str('git')) {
      specs.push({ kind: 'git', git: str('git')!, revision: str('revision'), subdirectory: str('subdirectory'), raw: entry });
    } else if (str('local')) {
      specs.push({ kind: 'local', local: str('local')!, raw: entry });
    } else if (str('tarball')) {
      specs.push({ kind: 'tarball', tarball: str('tarball')!, name: str('name'), raw: entry });
    } else problem(path, `a package needs package:, git:, local: or tarball: (got ${Object.keys(entry).join(', ') || 'nothing'}).`);
  });
  return { specs, problems };
}

/** Python's `json.dumps(value, sort_keys=True)` (", " and ": " separators). */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (isMap(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}: ${pythonJson(value[k])}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** dbt's `sha1_hash` of a packages list. */
export function packagesHash(specs: readonly PackageSpec[]): string {
  const lines = specs.map((s) => pythonJson(s.raw)).sort();
  return createHash('sha1').update(lines.join('\n')).digest('hex');
}

export interface LockFile {
  readonly packages: readonly Record<string, unknown>[];
  readonly sha1_hash?: string;
}

export function readLockFile(projectDir: string): LockFile | undefined {
  const file = join(projectDir, 'package-lock.yml');
  if (!existsSync(file)) return undefined;
  const value = parseYaml(readFileSync(file, 'utf8'), file).value;
  if (!isMap(value) || !Array.isArray(value.packages)) return undefined;
  return { packages: value.packages.filter(isMap), sha1_hash: typeof value.sha1_hash === 'string' ? value.sha1_hash : undefined };
}
