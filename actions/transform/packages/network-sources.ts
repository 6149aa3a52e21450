/**
 * Where `deps` fetches packages on a runner with network: the dbt hub's JSON API
 * (https://hub.getdbt.com/api/v1/<org>/<name>.json), tarballs over HTTPS unpacked by the
 * system's `tar`, and git repositories cloned by the system's `git`. No new dependency: both
 * tools are on every GitHub runner.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PackageSources } from './install-packages.ts';

const run = promisify(execFile);
const HUB = 'https://hub.getdbt.com/api/v1';

async function get(url: string): Promise<Response> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  return res;
}

export function networkSources(): PackageSources {
  return {
    async hubVersions(pkg) {
      const res = await get(`${HUB}/${pkg}.json`);
      const body = (await res.json()) as { versions?: Record<string, { downloads?: { tarball?: string } }> };
      const out: Record<string, string> = {};
      for (const [version, info] of Object.entries(body.versions ?? {})) if (info.downloads?.tarball) out[version] = info.downloads.tarball;
      return out;
    },
    async fetchTarball(url, dir) {
      const res = await get(url);
      const file = join(dir, 'package.tar.gz');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      await run('tar', ['-xzf', file, '-C', dir]);
    },
    async gitClone(url, revision, dir) {
      await run('git', ['clone', '--quiet', url, dir]);
      if (revision) await run('git', ['-C', dir, 'checkout', '--quiet', revision]);
      const { stdout } = await run('git', ['-C', dir, 'rev-parse', 'HEAD']);
      return stdout.trim();
    },
  };
}
