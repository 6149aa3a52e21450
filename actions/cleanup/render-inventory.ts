/**
 * The inventory as Markdown (for people and job summaries: the table of every schema, then the
 * evidence on those the pipeline does not use) or JSON (for tools: the same, evidence included).
 */
import { formatBytes } from '../platform/progress.ts';
import type { InvestigatedSchema } from './evidence.ts';
import type { SchemaInventory } from './inventory.ts';
import { renderInvestigation } from './render-evidence.ts';

const CLASS_ORDER = { legacy: 0, unknown: 1, active: 2, system: 3 } as const;

export function formatRows(n: number, exact: boolean): string {
  if (exact) return n.toLocaleString('en-US');
  const short = n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
  return `~${short} (est.)`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function sortInventory(items: SchemaInventory[]): SchemaInventory[] {
  return [...items].sort((a, b) => CLASS_ORDER[a.class] - CLASS_ORDER[b.class] || a.schema.localeCompare(b.schema));
}

export function renderInventoryMarkdown(items: InvestigatedSchema[], exactRowLimit: number): string {
  const lines = [
    '| schema | class | tables | views | rows | data | index | last update | why |',
    '|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const s of sortInventory(items)) {
    const last = s.lastUpdate ? s.lastUpdate.slice(0, 16) : s.lastCreate ? `created ${s.lastCreate.slice(0, 16)}` : '';
    const extra = s.otherObjects ? ` (+${s.otherObjects} triggers/routines/events)` : '';
    lines.push(
      `| ${cell(s.schema)} | ${s.class} | ${s.tables} | ${s.views}${extra} | ${formatRows(s.rows, s.rowsExact)} | ${formatBytes(s.dataBytes)} | ${formatBytes(s.indexBytes)} | ${last} | ${cell(s.reason)} |`,
    );
  }
  const byClass = new Map<string, { n: number; bytes: number }>();
  for (const s of items) {
    const c = byClass.get(s.class) ?? { n: 0, bytes: 0 };
    c.n++;
    c.bytes += s.dataBytes + s.indexBytes;
    byClass.set(s.class, c);
  }
  const summary = (['legacy', 'unknown', 'active', 'system'] as const)
    .filter((c) => byClass.has(c))
    .map((c) => `${byClass.get(c)!.n} ${c} (${formatBytes(byClass.get(c)!.bytes)})`)
    .join(', ');
  lines.push(
    '',
    `${items.length} schemas: ${summary}.`,
    `Rows are exact counts, except those marked ~ (est.): information_schema's estimate for tables over ${exactRowLimit.toLocaleString('en-US')} rows.`,
    "Only legacy schemas are ever dropped, by 'pipeline cleanup --apply'; inventory drops nothing.",
  );
  const investigation = renderInvestigation(items);
  return lines.join('\n') + '\n' + (investigation ? `\n${investigation}` : '');
}

export function renderInventoryJson(items: InvestigatedSchema[]): string {
  return JSON.stringify({ schemas: sortInventory(items) }, null, 2) + '\n';
}
