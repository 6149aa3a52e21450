/**
 * `deps`: installs the packages of packages.yml / dependencies.yml into
 * `<packages-install-path>/<the package's own name>/`, as `dbt deps` does:
 * - hub packages (`package: dbt-labs/dbt_utils`, `version: [">=1.0.0", "<2.0.0"]`): the highest
 *   version meeting every range any package asks for (shared dependencies resolve once);
 * - git (`revision`, `subdirectory`), tarball, and local (linked, relative to the project);
 * - packages' own packages.yml, recursively;
 * - package-lock.yml (dbt 1.7+'s format) written after a resolution, and used as it is while its
 *   `sha1_hash` matches the packages asked for, so every run installs the same versions.
 * The network is behind `PackageSources` (network-sources.ts), so the resolution is tested
 * without it.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { ConfigError, PipelineError } from '../../platform/errors.ts';
import { writeTargetFile } from '../../platform/target-files.ts';
import { parseYaml } from '../../platform/yaml-source.ts';
import { packagesHash, readLockFile, readPackagesFile, validatePackageSpecs, type PackageSpec } from './package-spec.ts';
import { pickVersion } from './version-range.ts';

/** Where packages come from: the dbt hub, tarballs and git (network-sources.ts). */
export interface PackageSources {
  /** Versions of a hub package (`org/name`) with each one's tarball URL. */
  hubVersions(pkg: string): Promise<Readonly<Record<string, string>>>;
  /** Downloads `url` and unpacks it into `dir`. */
  fetchTarball(url: string, dir: string): Promise<void>;
  /** Clones `url` into `dir` at `revision` (default branch when none); returns the commit. */
  gitClone(url: string, revision: string | undefined, dir: string): Promise<string>;
}

export interface InstallOptions {
  sources: PackageSources;
  /** `packages-install-path`. Default `dbt_packages`. */
  installPath?: string;
  log: (message: string) => void;
}

export interface InstalledPackage {
  readonly name: string;
  /** What package-lock.yml records for it. */
  readonly lock: Record<string, unknown>;
}

interface Found {
  name: string;
  /** Where its files are now (a temporary directory, or the local package itself). */
  dir: string;
  local: boolean;
  lock: Record<string, unknown>;
  /** Hub packages: the version chosen. */
  version?: string;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `name:` of the dbt_project.yml in `dir` (the name it is installed and namespaced under). */
function projectName(dir: string, what: string): string {
  const file = join(dir, 'dbt_project.yml');
  if (!existsSync(file)) {
    throw new ConfigError([{ message: `${what} has no dbt_project.yml (looked in ${dir}). To fix this, point it at a dbt package.` }]);
  }
  const value = parseYaml(readFileSync(file, 'utf8'), file).value;
  if (!isMap(value) || typeof value.name !== 'string') {
    throw new ConfigError([{ message: `${file} has no name:. To fix this, give the package a name.`, location: { file } }]);
  }
  return value.name;
}

/** The directory holding dbt_project.yml under an unpacked archive (GitHub archives add one top folder). */
function packageRoot(dir: string): string {
  if (existsSync(join(dir, 'dbt_project.yml'))) return dir;
  for (const entry of readdirOnly(dir)) if (existsSync(join(dir, entry, 'dbt_project.yml'))) return join(dir, entry);
  return dir;
}

function readdirOnly(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

export async function installPackages(projectDir: string, options: InstallOptions): Promise<InstalledPackage[]> {
  const source = readPackagesFile(projectDir);
  const { specs, problems } = validatePackageSpecs(source);
  if (problems.length > 0) throw new ConfigError(problems);
  if (specs.length === 0) {
    options.log(
      source ? `${source.file} lists no packages: nothing to install.` : 'no packages.yml or dependencies.yml: nothing to install.',
    );
    return [];
  }
  const lock = readLockFile(projectDir);
  const hash = packagesHash(specs);
  const locked = lock?.sha1_hash === hash ? lock : undefined;
  if (locked) options.log(`using package-lock.yml (sha1_hash ${hash.slice(0, 12)} matches ${source!.file})`);
  const staging = mkdtempSync(join(tmpdir(), 'pipeline-deps-'));
  const found = new Map<string, Found>();
  const hubRanges = new Map<string, string[]>();
  const queue: { spec: PackageSpec; base: string }[] = specs.map((spec) => ({ spec, base: projectDir }));
  try {
    while (queue.length > 0) {
      const { spec, base } = queue.shift()!;
      const pkg = await fetchOne(spec, base, staging, found, hubRanges, locked?.packages, options);
      if (!pkg) continue;
      found.set(pkg.name, pkg);
      const own = validatePackageSpecs(readPackagesFile(pkg.dir));
      if (own.problems.length > 0) throw new ConfigError(own.problems);
      for (const s of own.specs) queue.push({ spec: s, base: pkg.dir });
    }
    const installDir = join(projectDir, options.installPath ?? 'dbt_packages');
    mkdirSync(installDir, { recursive: true });
    for (const pkg of found.values()) {
      const dest = join(installDir, pkg.name);
      rmSync(dest, { recursive: true, force: true });
      if (pkg.local) {
        // dbt links a local package rather than copying it (its edits show at once).
        try {
          symlinkSync(pkg.dir, dest, 'dir');
        } catch {
          cpSync(pkg.dir, dest, { recursive: true, filter: (src) => !/[\\/](dbt_packages|target|logs|\.git)$/.test(src) });
        }
      } else cpSync(pkg.dir, dest, { recursive: true });
      options.log(`installed ${pkg.name}${pkg.version ? ` ${pkg.version}` : ''} into ${dest}`);
    }
    const installed = [...found.values()].map((p) => ({ name: p.name, lock: p.lock }));
    writeTargetFile(join(projectDir, 'package-lock.yml'), YAML.stringify({ packages: installed.map((p) => p.lock), sha1_hash: hash }));
    return installed;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function fetchOne(
  spec: PackageSpec,
  base: string,
  staging: string,
  found: ReadonlyMap<string, Found>,
  hubRanges: Map<string, string[]>,
  locked: readonly Record<string, unknown>[] | undefined,
  options: InstallOptions,
): Promise<Found | undefined> {
  const dir = mkdtempSync(join(staging, 'p-'));
  switch (spec.kind) {
    case 'local': {
      const abs = resolve(base, spec.local);
      const name = projectName(abs, `local package ${spec.local}`);
      if (found.has(name)) return undefined;
      return { name, dir: abs, local: true, lock: { local: spec.local, name } };
    }
    case 'tarball': {
      await options.sources.fetchTarball(spec.tarball, dir);
      const root = packageRoot(dir);
      const name = projectName(root, `tarball ${spec.tarball}`);
      if (found.has(name)) return undefined;
      return { name, dir: root, local: false, lock: { tarball: spec.tarball, name } };
    }
    case 'git': {
      const pinned = locked?.find((l) => l.git === spec.git && (l.subdirectory ?? undefined) === spec.subdirectory);
      const revision = typeof pinned?.revision === 'string' ? pinned.revision : spec.revision;
      const commit = await options.sources.gitClone(spec.git, revision, dir);
      const root = spec.subdirectory ? join(dir, spec.subdirectory) : dir;
      const name = projectName(root, `git package ${spec.git}`);
      if (found.has(name)) return undefined;
      const lock: Record<string, unknown> = { git: spec.git, revision: commit, name };
      if (spec.subdirectory) lock.subdirectory = spec.subdirectory;
      return { name, dir: root, local: false, lock };
    }
    case 'hub': {
      const ranges = [...(hubRanges.get(spec.package) ?? []), ...spec.version];
      hubRanges.set(spec.package, ranges);
      const pinned = locked?.find((l) => l.package === spec.package);
      let versions: Readonly<Record<string, string>>;
      try {
        versions = await options.sources.hubVersions(spec.package);
      } catch (err) {
        throw new PipelineError(
          `cannot reach the dbt package hub for ${spec.package}: ${(err as Error).message}. To fix this, check the network (hub.getdbt.com), or install it as a git:, tarball: or local: package.`,
        );
      }
      const version = typeof pinned?.version === 'string' ? pinned.version : pickVersion(Object.keys(versions), ranges);
      if (!version || !versions[version]) {
        throw new ConfigError([
          {
            message: `no version of ${spec.package} meets every range asked for (${ranges.join(', ')}); the hub has ${Object.keys(versions).join(', ') || 'none'}. To fix this, widen the version ranges in packages.yml.`,
          },
        ]);
      }
      const already = [...found.values()].find((f) => f.lock.package === spec.package);
      if (already?.version === version) return undefined;
      await options.sources.fetchTarball(versions[version]!, dir);
      const root = packageRoot(dir);
      const name = projectName(root, `${spec.package} ${version}`);
      return { name, dir: root, local: false, lock: { package: spec.package, version, name }, version };
    }
  }
}
