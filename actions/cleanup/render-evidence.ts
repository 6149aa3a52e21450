/**
 * The investigation of schemas the pipeline does not use, as Markdown: per schema the evidence
 * and the verdict line, then the `cleanup.legacy` entries that are ready to paste into pipeline.yml.
 * Shown by `inventory` and in the report of `cleanup` (its unknown schemas).
 */
import { formatBytes } from '../platform/progress.ts';
import type { InvestigatedSchema } from './evidence.ts';
import { describeOrigin } from './origin.ts';
import { legacyYaml, usedBy, type Activity } from './verdict.ts';

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function activityText(a: Activity): string {
  if (!a.performanceSchema) {
    return `reads and writes since the server started (${a.since}) are not known: performance_schema is off on this server`;
  }
  return `since the server started (${a.since}): ${(a.reads ?? 0).toLocaleString('en-US')} row reads, ${(a.writes ?? 0).toLocaleString('en-US')} row writes (performance_schema)`;
}

export function renderInvestigation(items: InvestigatedSchema[], heading = '## Schemas this pipeline does not use: the evidence'): string {
  const investigated = items.filter((s) => s.evidence).sort((a, b) => a.class.localeCompare(b.class) || a.schema.localeCompare(b.schema));
  if (investigated.length === 0) return '';
  const lines = [heading, ''];
  for (const s of investigated) {
    const e = s.evidence!;
    const used = usedBy(e);
    const last = e.lastUpdate
      ? `newest update ${e.lastUpdate}`
      : `no update time known (InnoDB forgets it at a restart)${e.lastCreate ? `; newest table created ${e.lastCreate}` : ''}`;
    const tables = `${s.tables} ${s.tables === 1 ? 'table' : 'tables'}`;
    const contents =
      s.tables === 0
        ? 'no tables'
        : e.empty
          ? `${tables}, every one empty${e.rowsExact ? '' : ' by the estimates'}`
          : `${tables}, ${s.rowsExact ? '' : '~'}${s.rows.toLocaleString('en-US')} rows${s.rowsExact ? '' : ' (estimate)'}, ${formatBytes(s.dataBytes + s.indexBytes)}`;
    lines.push(
      `### ${code(s.schema)} (${s.class})`,
      '',
      `- **What made it:** ${e.origins.length ? e.origins.map(describeOrigin).join('; also ') : 'no table or schema name says'}.`,
      `- **Used by:** ${used.length ? used.join('; ') : 'nothing: no view, routine, trigger or event of another schema names it, and no user has rights on it'}.`,
      `- **Last change:** ${last}; ${activityText(e.activity)}.`,
      `- **Contents:** ${contents}${s.views ? `, ${s.views} ${s.views === 1 ? 'view' : 'views'}` : ''}${e.otherObjects ? `, ${e.otherObjects} triggers/routines/events` : ''}.`,
      `- **Verdict:** ${e.verdict.line}`,
      '',
    );
  }
  const ready = investigated.flatMap((s) => (s.evidence!.verdict.legacy ? [s.evidence!.verdict.legacy] : []));
  if (ready.length) {
    lines.push(
      `Ready for \`pipeline.yml\` (${ready.length} ${ready.length === 1 ? 'entry' : 'entries'}; review them, then merge into \`cleanup.legacy\`; \`inventory\` never drops anything):`,
      '',
      '```yaml',
      legacyYaml(ready).trimEnd(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}
