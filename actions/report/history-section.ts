/**
 * The report's "What changed since yesterday": for each snapshot of the run, the versions it
 * opened (new or changed rows) and closed (changed or deleted rows), from the snapshot's
 * adapter_response. The warehouse's history is in schema `snapshots` (DOMAIN.md "History").
 */
import type { NodeResult, RunResults } from '../platform/run-results.ts';

const isSnapshot = (n: NodeResult) => n.unique_id.startsWith('snapshot.');

export function historySection(r: RunResults): string {
  const snaps = r.results.filter(isSnapshot);
  if (snaps.length === 0) return '';
  const rows = snaps.map((n) => {
    const name = n.unique_id.split('.').slice(2).join('.');
    if (n.status !== 'success') return `| ${name} | — | — | ${n.status}: history left as it was |`;
    const a = n.adapter_response;
    return `| ${name} | ${a.versions_opened ?? 0} | ${a.versions_closed ?? 0} | ${(n.message ?? '').replace(/\|/g, '\\|')} |`;
  });
  const opened = snaps.reduce((s, n) => s + (n.adapter_response.versions_opened ?? 0), 0);
  const closed = snaps.reduce((s, n) => s + (n.adapter_response.versions_closed ?? 0), 0);
  return [
    `## What changed since yesterday — ${opened} version(s) opened, ${closed} closed`,
    '',
    '| snapshot | versions opened | versions closed | |',
    '|---|---:|---:|---|',
    ...rows,
  ].join('\n');
}
