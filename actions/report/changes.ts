/**
 * What a pull request changes, for its job summary: models added, changed (checksum differs) and
 * removed against the manifest of the last successful main-branch run, with each one's row count
 * there (before) and in this run (after). Both runs build the same generated dump (fixed seed and
 * date), so the counts are comparable.
 */
import type { RunResults, TableCount } from '../platform/run-results.ts';
import type { ManifestLike, ManifestNode } from './lineage.ts';
import { cell, code, formatInt, table } from './markdown.ts';

export interface ChangeState {
  manifest: ManifestLike;
  results?: RunResults;
}

export interface ModelChange {
  uniqueId: string;
  name: string;
  change: 'added' | 'changed' | 'removed';
  before: number | null;
  after: number | null;
}

function checksum(n: ManifestNode): string | undefined {
  return typeof n.checksum === 'string' ? n.checksum : n.checksum?.checksum;
}

function models(m: ManifestLike): Map<string, ManifestNode> {
  return new Map(Object.entries(m.nodes ?? {}).filter(([uid, n]) => (n.resource_type ?? uid.split('.')[0]) === 'model'));
}

function rowsOf(tables: TableCount[] | undefined, name: string): number | null {
  return tables?.find((t) => t.table === name)?.rows ?? null;
}

export function modelChanges(base: ChangeState | undefined, current: ChangeState): ModelChange[] {
  const now = models(current.manifest);
  const before = base ? models(base.manifest) : new Map<string, ManifestNode>();
  const out: ModelChange[] = [];
  for (const [uid, n] of now) {
    const old = before.get(uid);
    const change = !old ? 'added' : checksum(old) !== checksum(n) ? 'changed' : undefined;
    if (!change) continue;
    const name = n.name ?? uid;
    out.push({
      uniqueId: uid,
      name,
      change,
      before: old ? rowsOf(base?.results?.tables, name) : null,
      after: rowsOf(current.results?.tables, name),
    });
  }
  for (const [uid, n] of before) {
    if (!now.has(uid))
      out.push({
        uniqueId: uid,
        name: n.name ?? uid,
        change: 'removed',
        before: rowsOf(base?.results?.tables, n.name ?? uid),
        after: null,
      });
  }
  return out.sort((a, b) => a.change.localeCompare(b.change) || a.name.localeCompare(b.name));
}

export function changesSection(base: ChangeState | undefined, current: ChangeState): string {
  if (!base)
    return '## Changes against main\n\nNo manifest of a successful main-branch run was found, so every model was built and compared with nothing.';
  const changes = modelChanges(base, current);
  if (!changes.length) return '## Changes against main\n\nNo model was added, changed or removed.';
  const count = (c: ModelChange['change']) => changes.filter((x) => x.change === c).length;
  const delta = (c: ModelChange) =>
    c.before !== null && c.after !== null ? `${c.after - c.before >= 0 ? '+' : ''}${formatInt(c.after - c.before)}` : '–';
  return [
    `## Changes against main — ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`,
    '',
    table(
      ['model', 'change', 'rows before (main)', 'rows after (this PR)', 'difference'],
      changes.map((c) => [code(cell(c.name)), c.change, formatInt(c.before), formatInt(c.after), delta(c)]),
      ['l', 'l', 'r', 'r', 'r'],
    ),
  ].join('\n');
}
