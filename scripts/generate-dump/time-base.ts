/**
 * The world's clock, fixed whatever the dump date. The history starts on a fixed day (eight years
 * before the calibration day 2026-02-05, the EPOCH); every table grows at a fixed expected daily
 * rate from there, and that growth continues after the epoch (demand capped at 97 %, the same
 * season). A dump of day D is the world cut at D: a later day's dump holds every row of an earlier
 * one and adds only what happened in between, so consecutive `--date`s tell one story.
 *
 * Sizes are given "at the epoch" (SCALE_1 in world.ts, the log and vendor tables' rows): the dump
 * of 2026-02-05 has exactly those rows, the calibrated figures of the old report.
 */
import type { Calendar } from './calendar.ts';
import { dayOfCompact } from './calendar.ts';
import { hash32 } from './prng.ts';

/** The calibration day: the dump of this day has the sizes the generator is calibrated to. */
export const EPOCH = '20260205';
export const EPOCH_DAY = dayOfCompact(EPOCH);
/** Eight years of history before the epoch. */
export const HISTORY_DAYS = 8 * 365 + 2;
/** The first day of the history (2018-02-05): no dump date may lie before it. */
export const HISTORY_START = EPOCH_DAY - HISTORY_DAYS;
/** Days from the history's start to the epoch, both included. */
export const EPOCH_SPAN = EPOCH_DAY - HISTORY_START + 1;
/**
 * Days the plan looks past the dump date: an inquiry is linked to the tenant who applies 3-60 days
 * later, so the world must know who will apply (the link itself is written on the day they do).
 */
export const LOOKAHEAD_DAYS = 61;

const SEASON = [0, 1.1, 1.35, 1.6, 1.3, 0.9, 0.85, 0.9, 0.95, 1.1, 1.0, 0.85, 0.7];

/**
 * Applications per day follow the business's growth (the share of apartments planned open: 40 %
 * at the start of the history, 97 % a month before the epoch, then flat) and the season. The
 * planned share rather than the rooms actually open, so that a small dump (a few apartments) has
 * the same history over time as a large one.
 */
export function demand(cal: Calendar, day: number): number {
  const open = 0.4 + 0.57 * Math.min(1, (day - HISTORY_START) / (HISTORY_DAYS - 30));
  return open * SEASON[cal.month(day)]!;
}

/**
 * Cumulative contracts (applications) by day, from the history's start to `lastDay`: element
 * `d - HISTORY_START` is the number of contracts applied on or before day d. `atEpoch` contracts
 * by the epoch exactly; each day adds its expected share (demand / the epoch's demand) and the
 * fractions carry over, so the count of a day never depends on the dump date.
 */
export function contractArrivals(cal: Calendar, atEpoch: number, lastDay: number): Int32Array {
  let weightSum = 0;
  for (let d = HISTORY_START; d <= EPOCH_DAY; d++) weightSum += demand(cal, d);
  const cumulative = new Int32Array(Math.max(EPOCH_DAY, lastDay) - HISTORY_START + 1);
  let owed = 0;
  let n = 0;
  for (let d = HISTORY_START; d < HISTORY_START + cumulative.length; d++) {
    owed += (atEpoch * demand(cal, d)) / weightSum;
    // The epoch holds exactly the calibrated count (the float sum may fall a fraction short).
    if (d === EPOCH_DAY) owed = atEpoch - n;
    while (owed >= 1) {
      owed -= 1;
      n++;
    }
    cumulative[d - HISTORY_START] = n;
  }
  return cumulative;
}

/** `cumulative[day - HISTORY_START]`, 0 before the history and the last value after the array. */
export function countAt(cumulative: Int32Array, day: number): number {
  const i = day - HISTORY_START;
  if (i < 0) return 0;
  return cumulative[Math.min(i, cumulative.length - 1)]!;
}

/**
 * A table that grows evenly: `atEpoch` rows spread over the days from the history's start to the
 * epoch, row `id` created on `linearDay(id)`, the same rate continuing after the epoch.
 */
export function linearDay(id: number, atEpoch: number): number {
  return HISTORY_START + Math.floor(((2 * id - 1) * EPOCH_SPAN) / (2 * atEpoch));
}

/** Rows of such a table created on or before `day` (the largest id with linearDay(id) <= day). */
export function linearRowsAt(day: number, atEpoch: number): number {
  const k = day - HISTORY_START + 1;
  if (k <= 0 || atEpoch <= 0) return 0;
  return Math.floor((2 * atEpoch * k - 1 + EPOCH_SPAN) / (2 * EPOCH_SPAN));
}

/**
 * How many events of a kind happen on a day: `perDay` on average but at least one (so that even a
 * tiny dump changes every day): the whole part every day, one more on the share of days the
 * fraction gives (drawn from `h`, a hash of the day).
 */
export function eventsOn(perDay: number, h: number): number {
  const rate = Math.max(1, perDay);
  const whole = Math.floor(rate);
  return whole + (h / 4294967296 < rate - whole ? 1 : 0);
}

/** A second of the office day (08:00-22:00) for a row's change on `day`, drawn from the row's id. */
export function secondOfDay(seed: number, kind: number, id: number, day: number): number {
  return 8 * 3600 + (hash32(seed, kind, id, day) % (14 * 3600));
}
