/**
 * dbt hub version ranges: a list of conditions such as `[">=1.0.0", "<2.0.0"]`, or one exact
 * version (`1.1.1`). Versions are compared as semver without build metadata; a pre-release
 * (`1.2.0-rc1`) is chosen only when a condition names a pre-release, as dbt does.
 */

type Version = [number, number, number, string];

export function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), m[4] ?? ''] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === '') return 1;
  if (b[3] === '') return -1;
  return a[3] < b[3] ? -1 : 1;
}

function satisfies(v: Version, condition: string): boolean {
  const m = /^\s*(>=|<=|>|<|==|=)?\s*(\S+)\s*$/.exec(condition);
  const target = m && parseVersion(m[2]!);
  if (!target) return false;
  const c = compareVersions(v, target);
  switch (m[1]) {
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    default:
      return c === 0;
  }
}

/** The highest of `available` that meets every condition, or undefined. */
export function pickVersion(available: readonly string[], conditions: readonly string[]): string | undefined {
  const prerelease = conditions.some((c) => /-/.test(c));
  let best: { text: string; v: Version } | undefined;
  for (const text of available) {
    const v = parseVersion(text);
    if (!v || (v[3] !== '' && !prerelease)) continue;
    if (!conditions.every((c) => satisfies(v, c))) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { text, v };
  }
  return best?.text;
}
