/**
 * Where to kill a run. A clean calibration run gives the timeline of the pipeline's stages (the
 * Logger's `▶ stage` and `✔ stage` lines, with progress lines between); kill points are chosen on
 * it so that every stage gets some, and the rest spread over the run's progress lines. Each point
 * is an output line to wait for plus a delay.
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

/**
 * `count` kill points over a calibration run's output. Inside a stage that prints nothing while it
 * works (the load), points are a share of the stage's duration; elsewhere they are anchored on the
 * run's own progress lines (a model built, a test passed), spread evenly over them, so they land at
 * the same step of the next run however fast or slow the machine is that minute.
 */
export function chooseKillPoints(lines: OutputLine[], count: number): KillPoint[] {
  const spans = stageSpans(lines);
  const stderr = lines.filter((l) => l.stream === 'stderr');
  const inSpan = (t: number) => spans.some((s) => t >= s.start && t < s.end);
  const progress = stderr.filter((l) => !inSpan(l.at) && !/^[▶✔✖]/.test(l.text));
  // Stage points first by share (every stage's start, then middles, then quarters), leaving up to
  // half of the points for the progress lines.
  const forStages = count - Math.min(progress.length, Math.floor(count / 2));
  const points: KillPoint[] = [];
  for (const share of [0, 0.5, 0.25, 0.75]) {
    for (const s of spans) {
      const dur = s.end - s.start;
      if (points.length >= forStages || (share > 0 && dur < 40)) continue;
      const name = s.name.split(' ')[0]!;
      const startLine = stderr.find((l) => l.at === s.start && l.text.startsWith('▶'))!;
      const occurrence = stderr.filter((l) => l.text === startLine.text && l.at <= startLine.at).length;
      points.push({
        label: `${name} +${Math.round(share * 100)}%`,
        plannedStage: name,
        anchor: startLine.text,
        occurrence,
        delayMs: Math.round(dur * share),
      });
    }
  }
  const want = count - points.length;
  for (let k = 0; k < want && progress.length; k++) {
    const line = progress[Math.min(progress.length - 1, Math.floor(((k + 0.5) * progress.length) / want))]!;
    const occurrence = stderr.filter((l) => l.text === line.text && l.at <= line.at).length;
    points.push({
      label: `after '${line.text.trim().slice(0, 60)}'`,
      plannedStage: stageAt(lines, line.at),
      anchor: line.text,
      occurrence,
      delayMs: 0,
    });
  }
  return points.slice(0, count);
}
