/**
 * The small history charts, drawn as plain SVG (a few dozen marks each: no chart library
 * needed): row counts of the last runs, a test's last results, a source's freshness, a
 * snapshot's versions opened and closed per day. Every mark has a <title> with its value.
 */
import type { DocTest, FreshnessPoint, RunInfo, SnapshotDay } from './docs-data.ts';
import { formatCount, h, svg } from './dom.ts';

const W = 360;
const H = 90;
const PAD = 8;

const runLabel = (runs: RunInfo[], i: number) => {
  const r = runs[i];
  return r ? `${r.at.slice(0, 16).replace('T', ' ')} UTC${r.command ? ` (${r.command})` : ''}` : `run ${i + 1}`;
};

function title(text: string): SVGElement {
  const t = svg('title');
  t.textContent = text;
  return t;
}

/** Row counts per run: a line with one point per run that counted the relation. */
export function rowCountChart(points: Array<{ run: number; rows: number | null }>, runs: RunInfo[]): HTMLElement {
  const values = points.filter((p) => p.rows !== null) as Array<{ run: number; rows: number }>;
  if (values.length === 0) return h('p', { class: 'muted' }, 'No row counts recorded yet: they are recorded by every run.');
  const max = Math.max(...values.map((p) => p.rows));
  const min = Math.min(...values.map((p) => p.rows));
  const span = max - min || 1;
  const step = values.length > 1 ? (W - 2 * PAD) / (values.length - 1) : 0;
  const xy = values.map((p, i) => ({
    p,
    x: values.length > 1 ? PAD + i * step : W / 2,
    y: max === min ? H / 2 : H - PAD - ((p.rows - min) / span) * (H - 2 * PAD),
  }));
  const chart = svg(
    'svg',
    { class: 'chart row-chart', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'row counts of the last runs' },
    svg('polyline', { points: xy.map((q) => `${q.x},${q.y}`).join(' '), class: 'line' }),
  );
  for (const q of xy) {
    chart.append(
      svg('circle', { cx: q.x, cy: q.y, r: 3.5, class: 'point' }, title(`${runLabel(runs, q.p.run)}: ${formatCount(q.p.rows)} rows`)),
    );
  }
  const last = values.at(-1)!.rows;
  return h(
    'figure',
    { class: 'history' },
    chart,
    h(
      'figcaption',
      {},
      `${values.length} run${values.length === 1 ? '' : 's'} · last ${formatCount(last)} · min ${formatCount(min)} · max ${formatCount(max)}`,
    ),
  );
}

const STATUS_CLASS: Record<string, string> = { pass: 'ok', success: 'ok', warn: 'warn', fail: 'bad', error: 'bad', skipped: 'skip' };

export function statusClass(status: string | undefined): string {
  return status ? (STATUS_CLASS[status] ?? 'skip') : 'none';
}

/** A test's last results: one square per run, oldest left. */
export function resultStrip(test: DocTest, runs: RunInfo[]): SVGElement {
  const size = 10;
  const gap = 2;
  const n = Math.max(test.history.length, 1);
  const strip = svg('svg', {
    class: 'strip',
    width: n * (size + gap),
    height: size,
    viewBox: `0 0 ${n * (size + gap)} ${size}`,
    role: 'img',
    'aria-label': `last ${test.history.length} results`,
  });
  test.history.forEach((r, i) => {
    const rows = r.failures ? `, ${formatCount(r.failures)} failing row${r.failures === 1 ? '' : 's'}` : '';
    strip.append(
      svg(
        'rect',
        { x: i * (size + gap), y: 0, width: size, height: size, rx: 2, class: `result ${statusClass(r.status)}` },
        title(`${runLabel(runs, r.run)}: ${r.status}${rows}`),
      ),
    );
  });
  return strip;
}

/** A source's freshness per run: the age of its newest row (hours), coloured by the check's status. */
export function freshnessChart(points: FreshnessPoint[], runs: RunInfo[]): HTMLElement {
  const ages = points.map((p) => (p.ageSeconds === null ? 0 : p.ageSeconds / 3600));
  const max = Math.max(...ages, 1);
  const bw = Math.min(24, (W - 2 * PAD) / Math.max(points.length, 1));
  const chart = svg('svg', {
    class: 'chart freshness-chart',
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': 'source freshness per run',
  });
  points.forEach((p, i) => {
    const bh = Math.max(2, (ages[i]! / max) * (H - 2 * PAD));
    const age = p.ageSeconds === null ? 'unknown' : `${(p.ageSeconds / 3600).toFixed(1)} h`;
    chart.append(
      svg(
        'rect',
        { x: PAD + i * bw, y: H - PAD - bh, width: bw - 2, height: bh, class: `bar ${statusClass(p.status)}` },
        title(`${runLabel(runs, p.run)}: ${p.status}, newest row ${age} old${p.maxLoadedAt ? ` (${p.maxLoadedAt})` : ''}`),
      ),
    );
  });
  return h('figure', { class: 'history' }, chart, h('figcaption', {}, `age of the newest row at each run (max ${max.toFixed(1)} h)`));
}

/** A snapshot's versions opened and closed per day (pairs of bars). */
export function snapshotChart(days: SnapshotDay[]): HTMLElement {
  const max = Math.max(...days.map((d) => Math.max(d.opened, d.closed)), 1);
  const bw = Math.min(24, (W - 2 * PAD) / Math.max(days.length, 1));
  const chart = svg('svg', {
    class: 'chart snapshot-chart',
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': 'snapshot versions per day',
  });
  days.forEach((d, i) => {
    const oh = (d.opened / max) * (H - 2 * PAD);
    const ch = (d.closed / max) * (H - 2 * PAD);
    const x = PAD + i * bw;
    chart.append(
      svg(
        'rect',
        { x, y: H - PAD - oh, width: (bw - 2) / 2, height: oh, class: 'bar opened' },
        title(`${d.day}: ${formatCount(d.opened)} opened`),
      ),
      svg(
        'rect',
        { x: x + (bw - 2) / 2, y: H - PAD - ch, width: (bw - 2) / 2, height: ch, class: 'bar closed' },
        title(`${d.day}: ${formatCount(d.closed)} closed`),
      ),
    );
  });
  const opened = days.reduce((a, d) => a + d.opened, 0);
  const closed = days.reduce((a, d) => a + d.closed, 0);
  return h(
    'figure',
    { class: 'history' },
    chart,
    h(
      'figcaption',
      {},
      `${days.length} day${days.length === 1 ? '' : 's'} · ${formatCount(opened)} versions opened · ${formatCount(closed)} closed`,
    ),
  );
}
