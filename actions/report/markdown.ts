/**
 * Small Markdown builders for the report: table cells that cannot break a table, numbers in a
 * readable form, links. GitHub-flavoured Markdown is the target (job summaries and report.md).
 */

/** A value as one table cell: pipes escaped, newlines folded, long text shortened. */
export function cell(value: unknown, max = 120): string {
  if (value === null || value === undefined) return value === null ? '*NULL*' : '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  text = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  return text;
}

/** Inline code that survives backticks inside the text. */
export function code(text: string): string {
  const clean = text.replace(/\r?\n/g, ' ');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

export function table(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

export function formatMb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1);
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** `HH:MM:SS` of an ISO time, in UTC (the report says UTC once in its header). */
export function clock(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? cell(iso) : d.toISOString().slice(11, 19);
}

export function utcTime(iso: string | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? cell(iso) : `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
