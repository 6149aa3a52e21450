/**
 * The sections of the report, each a function from RunResults to Markdown. Tables that can grow
 * long take a row limit (the renderer lowers it to fit the job summary's size limit); the status
 * and the failures take none: they are never cut.
 */
import type { LoadResult, NodeResult, RunResults, TableCount } from '../platform/run-results.ts';
import { fileMarkdownLink, type SourceLinks } from './links.ts';
import { cell, clock, code, formatInt, formatMb, formatSeconds, table, utcTime } from './markdown.ts';

/** A drop in row count larger than this share of the previous count is flagged. */
export const ROW_DROP_WARNING = 0.1;

export type NodeKind = 'model' | 'seed' | 'test' | 'source' | 'other';

export function kindOf(r: NodeResult): NodeKind {
  const k = r.unique_id.split('.')[0];
  return k === 'model' || k === 'seed' || k === 'test' || k === 'source' ? k : 'other';
}

/** `test.tokyobeta.not_null_x_id.1a2b` → `not_null_x_id`; `model.tokyobeta.x` → `x`. */
export function nodeName(r: NodeResult): string {
  const parts = r.unique_id.split('.');
  if (parts[0] === 'test' && parts.length >= 4 && /^[0-9a-f]{6,}$/.test(parts[parts.length - 1]!)) return parts.slice(2, -1).join('.');
  return parts.length > 2 ? parts.slice(2).join('.') : r.unique_id;
}

export interface TestCounts {
  pass: number;
  warn: number;
  error: number;
  skip: number;
  total: number;
}

export function testCounts(results: NodeResult[]): TestCounts {
  const c = { pass: 0, warn: 0, error: 0, skip: 0, total: 0 };
  for (const r of results) {
    if (kindOf(r) !== 'test') continue;
    c.total++;
    if (r.status === 'pass' || r.status === 'success') c.pass++;
    else if (r.status === 'warn') c.warn++;
    else if (r.status === 'skipped') c.skip++;
    else c.error++;
  }
  return c;
}

export function isFailure(r: NodeResult): boolean {
  return r.status === 'error' || r.status === 'fail';
}

const STATUS_ICON: Record<string, string> = {
  success: '✅',
  pass: '✅',
  warn: '⚠️',
  error: '❌',
  fail: '❌',
  skipped: '⏭️',
  loaded: '✅',
  unchanged: '⏸️',
  dropped: '🗑️',
};

export function icon(status: string): string {
  return STATUS_ICON[status] ?? '•';
}

function dumpName(r: RunResults): string | undefined {
  const src = r.load?.source ?? (typeof r.args.dump === 'string' ? r.args.dump : undefined);
  return src?.split('/').filter(Boolean).pop();
}

/** A dry run (built and tested, not published, as asked): a success with a note, never a failure. */
export function isDryRun(r: RunResults): boolean {
  return r.args['dry-run'] === true || r.args.dry_run === true || r.args.dryRun === true;
}

export function statusLine(r: RunResults): string {
  const failed = r.status !== 'success';
  const t = testCounts(r.results);
  const modelsFailed = r.results.filter((n) => kindOf(n) !== 'test' && isFailure(n)).length;
  const warnings = t.warn;
  const head = failed
    ? '❌ **FAILED**'
    : warnings
      ? `✅ **SUCCESS** with ${warnings} warning${warnings === 1 ? '' : 's'}`
      : '✅ **SUCCESS**';
  const parts = [head, `\`${r.metadata.command}\``];
  const dump = dumpName(r);
  if (dump) parts.push(code(dump));
  parts.push(`started ${utcTime(r.stages[0]?.startedAt ?? r.metadata.generated_at)}`, formatSeconds(r.elapsed_time));
  if (t.total)
    parts.push(
      `tests ${t.pass}/${t.total} pass${t.warn ? `, ${t.warn} warn` : ''}${t.error ? `, ${t.error} error` : ''}${t.skip ? `, ${t.skip} skipped` : ''}`,
    );
  if (modelsFailed) parts.push(`${modelsFailed} model/seed error${modelsFailed === 1 ? '' : 's'}`);
  if (isDryRun(r)) parts.push('dry run: built and tested in the shadow, not published (as asked)');
  else if (r.publish) parts.push(r.publish.published ? `published ${r.publish.tables} tables` : '**nothing published**');
  return parts.join(' · ');
}

/** Stage errors, failed models and seeds, failed tests, load errors: always shown in full. */
export function failuresSection(r: RunResults, links: SourceLinks | undefined, withSamples: boolean): string {
  const out: string[] = [];
  for (const s of r.stages.filter((s) => s.status === 'error'))
    out.push(`- ❌ stage **${cell(s.name)}** failed: ${cell(s.message ?? 'see the log', 2000)}`);
  if (r.load?.error) out.push(`- ❌ load of ${code(r.load.source)} failed: ${cell(r.load.error, 2000)} Staging was not changed.`);
  for (const t of r.load?.tables.filter((t) => t.status === 'error') ?? [])
    out.push(`- ❌ load of ${code(t.table)}: ${cell(t.message ?? 'failed', 2000)}`);
  for (const n of r.results.filter((n) => isFailure(n))) out.push(nodeProblem(n, links, withSamples));
  if (r.publish && !r.publish.published && r.publish.reason && !isDryRun(r)) {
    const shadows = r.publish.shadowSchemas?.length
      ? ` The shadow schemas are kept for inspection: ${r.publish.shadowSchemas.map(code).join(', ')}.`
      : '';
    out.push(`- ⛔ nothing was published: ${cell(r.publish.reason, 2000)}. The published warehouse is unchanged.${shadows}`);
  }
  return out.length ? `## Failures\n\n${out.join('\n')}` : '';
}

function nodeProblem(n: NodeResult, links: SourceLinks | undefined, withSamples: boolean): string {
  const kind = kindOf(n);
  const where = n.file ? ` (${fileMarkdownLink(links, n.file, n.line)})` : '';
  const rows =
    kind === 'test' && n.failures !== null && n.failures !== undefined
      ? `: **${formatInt(n.failures)} failing row${n.failures === 1 ? '' : 's'}**`
      : '';
  const message = n.message ? ` — ${cell(n.message, 1000)}` : '';
  const line = `- ${icon(n.status)} ${kind} ${code(nodeName(n))}${where}${rows}${message}`;
  return withSamples && n.samples?.length ? `${line}\n\n${samplesTable(n.samples)}\n` : line;
}

export const MAX_SAMPLE_ROWS = 5;
const MAX_SAMPLE_COLUMNS = 8;

function samplesTable(samples: Record<string, unknown>[]): string {
  const rows = samples.slice(0, MAX_SAMPLE_ROWS);
  const cols = [...new Set(rows.flatMap((s) => Object.keys(s)))].slice(0, MAX_SAMPLE_COLUMNS);
  const body = table(
    cols.map((c) => cell(c, 40)),
    rows.map((s) => cols.map((c) => cell(s[c], 60))),
  );
  return body
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** A note under a cut table: how many rows are not shown and where to find them. */
function cut<T>(rows: T[], limit: number): { shown: T[]; note: string } {
  if (rows.length <= limit) return { shown: rows, note: '' };
  return {
    shown: rows.slice(0, limit),
    note:
      `\n\n*… ${formatInt(rows.length - limit)} more rows not shown to stay under the job summary's size limit; ` +
      `see run_results.json in the run's artifacts.*`,
  };
}

export function timelineSection(r: RunResults): string {
  if (!r.stages.length) return '';
  const rows = r.stages.map((s) => [
    `${icon(s.status)} ${cell(s.name)}`,
    clock(s.startedAt),
    formatSeconds(s.durationSeconds),
    cell(s.message ?? '', 200),
  ]);
  return `## Timeline (UTC)\n\n${table(['stage', 'start', 'duration', 'note'], rows, ['l', 'l', 'r', 'l'])}`;
}

export function loadSection(load: LoadResult | undefined, limit: number): string {
  if (!load) return '';
  const loaded = load.tables.filter((t) => t.status === 'loaded');
  const unchanged = load.tables.filter((t) => t.status === 'unchanged');
  const dropped = load.tables.filter((t) => t.status === 'dropped');
  const rows = load.tables.reduce((a, t) => a + (t.status === 'dropped' ? 0 : t.rows), 0);
  const mbps = load.seconds > 0 ? (load.bytes / 1e6 / load.seconds).toFixed(1) : '–';
  const out = [
    '## Staging load',
    '',
    table(
      ['source', 'schema', 'tables', 'rows', 'MB', 'seconds', 'MB/s', 'unchanged (skipped)', 'dropped', 'refused statements'],
      [
        [
          code(load.source),
          code(load.schema),
          formatInt(load.tables.length - dropped.length),
          formatInt(rows),
          formatMb(load.bytes),
          load.seconds.toFixed(1),
          mbps,
          formatInt(unchanged.length),
          formatInt(dropped.length),
          formatInt(load.refused.length),
        ],
      ],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ];
  if (!load.published) out.push('', '*The loaded staging is not published yet (it is published with the other layers, or not at all).*');
  if (unchanged.length) out.push('', `Unchanged since the last load, not reloaded: ${unchanged.map((t) => code(t.table)).join(', ')}.`);
  if (dropped.length) out.push('', `No longer in the dump, removed from staging: ${dropped.map((t) => code(t.table)).join(', ')}.`);
  if (load.refused.length) {
    const { shown, note } = cut(load.refused, limit);
    out.push(
      '',
      `### Refused statements (${load.refused.length})`,
      '',
      'The dump is untrusted: these statements were not run.',
      '',
      table(
        ['line', 'statement', 'reason'],
        shown.map((s) => [
          s.line ? String(s.line) : s.offset !== undefined ? `byte ${s.offset}` : '–',
          code(cell(s.statement, 100)),
          cell(s.reason, 200),
        ]),
      ) + note,
    );
  }
  if (load.skipped?.length)
    out.push('', `Skipped on purpose: ${load.skipped.map((x) => `${cell(x.reason, 120)} (${x.count})`).join(', ')}.`);
  if (load.skippedRoutines)
    out.push('', `${formatInt(load.skippedRoutines)} triggers, routines or events skipped (load them with \`--with-routines\`).`);
  if (load.collationMappings.length)
    out.push(
      '',
      `Collations mapped to ones the server has: ${load.collationMappings.map((m) => `${code(m.from)} → ${code(m.to)} (${m.count})`).join(', ')}.`,
    );
  const busiest = [...loaded].sort((a, b) => b.bytes - a.bytes);
  if (busiest.length) {
    const { shown, note } = cut(busiest, limit);
    out.push(
      '',
      `<details><summary>Loaded tables (${loaded.length})</summary>`,
      '',
      table(
        ['table', 'rows', 'MB', 'seconds'],
        shown.map((t) => [code(t.table), formatInt(t.rows), formatMb(t.bytes), t.seconds.toFixed(2)]),
        ['l', 'r', 'r', 'r'],
      ) + note,
      '',
      '</details>',
    );
  }
  return out.join('\n');
}

/** What a reader looks at first: gold (what the BI reads), then silver, the snapshots (history), seeds, staging. */
const LAYERS: TableCount['layer'][] = ['gold', 'silver', 'snapshots', 'seeds', 'other', 'staging'];

/** Why a staging table deserves a look: its rows fell by more than ROW_DROP_WARNING, it emptied, or it is new. */
function notable(t: TableCount, firstRun: boolean): string | undefined {
  if (t.previousRows === null && t.rows !== null) return firstRun ? undefined : 'new in the dump';
  if (t.rows === 0 && (t.previousRows ?? 0) > 0) return 'emptied';
  if (rowDrops([t]).length) return `rows fell by more than ${ROW_DROP_WARNING * 100}%`;
  return undefined;
}

function change(t: TableCount): string {
  if (t.rows === null || t.previousRows === null) return t.previousRows === null && t.rows !== null ? 'new' : '–';
  const d = t.rows - t.previousRows;
  if (d === 0) return '0';
  const pct = t.previousRows > 0 ? ` (${((d / t.previousRows) * 100).toFixed(1)}%)` : '';
  const flag = t.previousRows > 0 && -d / t.previousRows > ROW_DROP_WARNING ? '⚠️ ' : '';
  return `${flag}${d > 0 ? '+' : ''}${formatInt(d)}${pct}`;
}

/** Tables whose rows fell by more than ROW_DROP_WARNING since the previous run. */
export function rowDrops(tables: TableCount[] = []): TableCount[] {
  return tables.filter(
    (t) =>
      t.rows !== null && t.previousRows !== null && t.previousRows > 0 && (t.previousRows - t.rows) / t.previousRows > ROW_DROP_WARNING,
  );
}

function layerTable(of: TableCount[], limit: number): string {
  const { shown, note } = cut(of, limit);
  return (
    table(
      ['table', 'kind', 'rows', 'previous run', 'change'],
      shown.map((t) => [
        code(`${t.schema}.${t.table}`),
        t.kind,
        t.kind === 'view' && t.rows === null ? '(view)' : formatInt(t.rows),
        formatInt(t.previousRows),
        change(t),
      ]),
      ['l', 'l', 'r', 'r', 'r'],
    ) + note
  );
}

/**
 * Row counts by layer and their change since the previous run: gold and silver in full; staging's
 * many tables collapsed, with only those that deserve a look shown open (see `notable`, and the
 * tables the vendor removed from the dump).
 */
export function layersSection(tables: TableCount[] | undefined, limit: number, load?: LoadResult): string {
  if (!tables?.length) return '';
  const out = ['## What changed, by layer'];
  const drops = rowDrops(tables);
  if (drops.length)
    out.push(
      '',
      `⚠️ **Row count fell by more than ${ROW_DROP_WARNING * 100}%** since the previous run: ` +
        `${drops.map((t) => `${code(`${t.schema}.${t.table}`)} (${formatInt(t.previousRows)} → ${formatInt(t.rows)})`).join(', ')}.`,
    );
  for (const layer of LAYERS) {
    const of = tables.filter((t) => t.layer === layer);
    if (!of.length) continue;
    const total = of.reduce((a, t) => a + (t.rows ?? 0), 0);
    const title = `### ${layer} — ${of.length} ${of.length === 1 ? 'table' : 'tables'}, ${formatInt(total)} rows`;
    if (layer !== 'staging') {
      out.push('', title, '', layerTable(of, limit));
      continue;
    }
    const firstRun = of.every((t) => t.previousRows === null);
    const look = of.filter((t) => notable(t, firstRun));
    const removed = load?.tables.filter((t) => t.status === 'dropped') ?? [];
    out.push('', title);
    if (look.length || removed.length) {
      out.push('', '**Worth a look:**', '');
      for (const t of look) out.push(`- ${code(t.table)}: ${notable(t, firstRun)} (${formatInt(t.previousRows)} → ${formatInt(t.rows)})`);
      for (const t of removed) out.push(`- ${code(t.table)}: no longer in the dump, removed from staging`);
    } else {
      out.push('', 'Nothing unusual: no table emptied, fell by more than 10%, appeared or disappeared.');
    }
    out.push('', `<details><summary>All ${of.length} staging tables</summary>`, '', layerTable(of, limit), '', '</details>');
  }
  return out.join('\n');
}

function nodeTable(nodes: NodeResult[], limit: number, links: SourceLinks | undefined): string {
  const { shown, note } = cut(nodes, limit);
  return (
    table(
      ['', 'name', 'rows', 'time', 'declared in'],
      shown.map((n) => [
        icon(n.status),
        code(nodeName(n)),
        formatInt(n.adapter_response?.rows_affected ?? null),
        formatSeconds(n.execution_time),
        n.file ? fileMarkdownLink(links, n.file, n.line) : '',
      ]),
      ['l', 'l', 'r', 'r', 'l'],
    ) + note
  );
}

export function seedsSection(r: RunResults, limit: number, links: SourceLinks | undefined): string {
  const seeds = r.results.filter((n) => kindOf(n) === 'seed');
  if (!seeds.length) return '';
  const ok = seeds.filter((s) => s.status === 'success').length;
  return `## Seeds — ${ok}/${seeds.length} loaded\n\n${nodeTable(seeds, limit, links)}`;
}

export function modelsSection(r: RunResults, limit: number, links: SourceLinks | undefined): string {
  const models = r.results.filter((n) => kindOf(n) === 'model');
  if (!models.length) return '';
  const ok = models.filter((s) => s.status === 'success').length;
  return `## Models — ${ok}/${models.length} built\n\n${nodeTable(models, limit, links)}`;
}

export function testsSection(r: RunResults, limit: number, links: SourceLinks | undefined, withSamples: boolean): string {
  const c = testCounts(r.results);
  if (!c.total) return '';
  const pct = (n: number) => `${((n / c.total) * 100).toFixed(1)}%`;
  const out = [
    `## Tests — ${c.pass}/${c.total} pass`,
    '',
    table(
      ['pass', 'warn', 'error', 'skip', 'total'],
      [[`${c.pass} (${pct(c.pass)})`, String(c.warn), String(c.error), String(c.skip), String(c.total)]],
      ['r', 'r', 'r', 'r', 'r'],
    ),
  ];
  const warns = r.results.filter((n) => kindOf(n) === 'test' && n.status === 'warn');
  if (warns.length) out.push('', `### Warnings (${warns.length})`, '', warns.map((n) => nodeProblem(n, links, withSamples)).join('\n'));
  const passed = r.results.filter((n) => kindOf(n) === 'test' && (n.status === 'pass' || n.status === 'skipped'));
  if (passed.length) {
    const { shown, note } = cut(passed, limit);
    out.push(
      '',
      `<details><summary>Passed and skipped tests (${passed.length})</summary>`,
      '',
      shown.map((n) => `- ${icon(n.status)} ${code(nodeName(n))}`).join('\n') + note,
      '',
      '</details>',
    );
  }
  return out.join('\n');
}

export function publishSection(r: RunResults): string {
  const p = r.publish;
  if (!p) return '';
  if (p.published) return `## Published\n\n${formatInt(p.tables)} tables published in one atomic swap at ${utcTime(p.at)}.`;
  return (
    `## Published\n\nNothing was published${p.reason ? `: ${cell(p.reason, 2000)}` : ''}. ` +
    `Readers still see the previous warehouse.${p.shadowSchemas?.length ? ` Shadow schemas kept for inspection: ${p.shadowSchemas.map(code).join(', ')}.` : ''}`
  );
}
