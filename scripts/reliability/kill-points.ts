/**
 * Where to kill a run. A clean calibration run gives the timeline of the pipeline's stages (the
 * Logger's `▶ stage` and `✔ stage` lines, with progress lines between); kill points are chosen on
 * it so that every stage gets some — its first instant, its middle, its last instant — and the rest
 * spread evenly over the run's time. Each point is anchored on the output line printed just before
 * it plus a delay, so it lands at the same place in the next run even if the run is faster or slower.
 */
import { stageAt, type OutputLine } from './pipeline-process.ts';

export interface StageSpan {
  name: string;
  start: number;
  end: number;
  depth: number;
}

export interface KillPoint {
  /** Where it was meant to land, from the calibration run: e.g. `load +40% (1200ms)`. */
  label: string;
  /** The stage the calibration run was in at that moment. */
  plannedStage: string;
  /** Wait for the `occurrence`-th line equal to `anchor`, then `delayMs`. */
  anchor: string;
  occurrence: number;
  delayMs: number;
  /** Extra environment for the run (e.g. the pause before publishing that widens that window). */
  env?: Record<string, string>;
}

/** The pipeline's test hook: a pause right before the publishing RENAME, after a log line saying so. */
export const PAUSE_BEFORE_PUBLISH_ENV = 'PIPELINE_PAUSE_BEFORE_PUBLISH_MS';

/**
 * Points around the publishing RENAME, the instant that matters most: inside the pause right
 * before it, and 0, 15 and 60 ms after the line that says it happened (while views are recreated
 * and the loader's content hashes recorded).
 */
export function publishKillPoints(): KillPoint[] {
  const before: KillPoint = {
    label: 'right before the publishing RENAME (in a 1.5 s pause)',
    plannedStage: 'publish',
    anchor: '/^about to publish/',
    occurrence: 1,
    delayMs: 300,
    env: { [PAUSE_BEFORE_PUBLISH_ENV]: '1500' },
  };
  const after = [0, 15, 60].map((ms) => ({
    label: `${ms} ms after the publishing RENAME`,
    plannedStage: 'publish',
    anchor: '/^published \\d+ table/',
    occurrence: 1,
    delayMs: ms,
  }));
  return [before, ...after];
}

export function stageSpans(lines: OutputLine[]): StageSpan[] {
  const spans: StageSpan[] = [];
  const open: Array<{ name: string; start: number }> = [];
  for (const l of lines) {
    const s = /^▶ (.+)$/.exec(l.text);
    const e = /^[✔✖] (.+?)(?: \(| failed after|$)/.exec(l.text);
    if (s) open.push({ name: s[1]!.trim(), start: l.at });
    else if (e) {
      const i = open.map((o) => o.name).lastIndexOf(e[1]!.trim());
      if (i >= 0) {
        const [o] = open.splice(i, 1);
        spans.push({ name: o!.name, start: o!.start, end: l.at, depth: i });
      }
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

function anchorFor(lines: OutputLine[], t: number): { anchor: string; occurrence: number; delayMs: number } {
  let chosen: OutputLine | undefined;
  for (const l of lines) {
    if (l.stream !== 'stderr') continue;
    if (l.at > t) break;
    chosen = l;
  }
  if (!chosen) return { anchor: '', occurrence: 0, delayMs: Math.max(0, Math.round(t)) };
  const occurrence = lines.filter((l) => l.stream === 'stderr' && l.text === chosen!.text && l.at <= chosen!.at).length;
  return { anchor: chosen.text, occurrence, delayMs: Math.max(0, Math.round(t - chosen.at)) };
}

/** `count` kill points over a calibration run's output. */
export function chooseKillPoints(lines: OutputLine[], count: number): KillPoint[] {
  const spans = stageSpans(lines);
  const total = lines.length ? lines[lines.length - 1]!.at : 0;
  const times: Array<{ t: number; why: string }> = [];
  for (const s of spans) {
    const dur = s.end - s.start;
    const name = s.name.split(' ')[0];
    times.push({ t: s.start, why: `${name} start` });
    if (dur >= 20) times.push({ t: s.start + dur / 2, why: `${name} +50%` });
    if (dur >= 40) times.push({ t: s.end - Math.min(10, dur / 10), why: `${name} end` });
  }
  // Keep the stage starts first, then middles, then ends, until `count`.
  const order = (w: string) => (w.endsWith('start') ? 0 : w.endsWith('+50%') ? 1 : 2);
  let chosen = [...times].sort((a, b) => order(a.why) - order(b.why)).slice(0, count);
  // Fill up with points spread evenly over the whole run.
  const missing = count - chosen.length;
  for (let k = 1; k <= missing && total > 0; k++) {
    const t = (total * k) / (missing + 1);
    chosen.push({ t, why: `${Math.round((100 * t) / total)}% of the run` });
  }
  chosen = chosen.sort((a, b) => a.t - b.t);
  return chosen.map(({ t, why }) => ({
    label: `${why} (${Math.round(t)}ms)`,
    plannedStage: stageAt(lines, t),
    ...anchorFor(lines, t),
  }));
}
