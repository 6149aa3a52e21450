/**
 * The cleanup report: one row per legacy schema, what was kept, and the space reclaimed; then
 * the evidence on the unknown schemas it kept, with ready `cleanup.legacy` entries where the
 * evidence allows (render-evidence.ts), so the person on call does not investigate by hand.
 */
import { formatBytes } from '../platform/progress.ts';
import type { CleanupReport } from './cleanup.ts';
import type { InvestigatedSchema } from './evidence.ts';
import { renderInvestigation } from './render-evidence.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderCleanup(r: CleanupReport, archiveTarget: string, unknown: InvestigatedSchema[] = []): string {
  const lines = [
    r.applied ? 'Cleanup of legacy schemas' : 'Cleanup of legacy schemas: DRY RUN, nothing was changed (run with --apply to do it)',
    '',
    '| schema | reason | tables | views | rows (exact) | result | archive | space before → after |',
    '|---|---|---:|---:|---:|---|---|---|',
  ];
  for (const s of r.results) {
    const result =
      s.status === 'would-drop'
        ? `would ${s.action === 'archive-and-drop' ? 'archive, verify and drop' : 'drop'}`
        : s.status === 'error'
          ? `ERROR: ${s.message ?? ''}`
          : s.status === 'refused'
            ? `refused: ${s.why}`
            : s.status === 'skipped'
              ? `skipped: ${s.why}`
              : 'dropped';
    const archive = s.archive
      ? `${s.archive.location} (${formatBytes(s.archive.bytes)}, ${s.archive.rows.toLocaleString('en-US')} rows verified)`
      : s.status === 'would-drop' && s.action === 'archive-and-drop'
        ? `to ${archiveTarget}`
        : '';
    const space = s.space ? `${formatBytes(s.space.before)} → ${formatBytes(s.space.after)}` : '';
    lines.push(
      `| ${cell(s.schema)} | ${cell(s.reason)} | ${s.tables} | ${s.views} | ${s.rows.toLocaleString('en-US')} | ${cell(result)} | ${cell(archive)} | ${space} |`,
    );
  }
  if (r.results.length === 0) lines.push('| (none: cleanup.legacy in pipeline.yml lists no schema) | | | | | | | |');
  const method = r.results.find((s) => s.space)?.space?.method;
  lines.push('');
  if (r.applied) {
    lines.push(`Space reclaimed: ${formatBytes(r.reclaimedBytes)}, measured before and after each drop${method ? ` (${method})` : ''}.`);
  }
  lines.push(
    `Never dropped: ${r.kept.active.length} active, ${r.kept.system.length} system, ${r.kept.unknown.length} unknown${r.kept.unknown.length ? ` (${r.kept.unknown.slice(0, 10).join(', ')}${r.kept.unknown.length > 10 ? ', ...' : ''})` : ''}.`,
  );
  const investigation = renderInvestigation(unknown, '## Unknown schemas: the evidence');
  return `${lines.join('\n')}\n${investigation ? `\n${investigation}` : ''}`;
}
