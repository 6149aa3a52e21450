/**
 * Dates as day numbers (days since 1970-01-01, UTC) with precomputed text, so the hot loops
 * format a DATE or DATETIME by concatenating cached strings instead of building Date objects.
 */

const DAY_MS = 86_400_000;

export function dayOf(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** Day number of a 'YYYYMMDD' string. */
export function dayOfCompact(yyyymmdd: string): number {
  return dayOf(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)));
}

/** 'YYYY-MM-DD' of a day number (uncached). */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of a day number: 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Saturday or Sunday (public holidays are not modelled). */
export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** The day itself if it is a weekday, else the Monday after. */
export function businessDayOnOrAfter(day: number): number {
  const w = weekday(day);
  return w === 6 ? day + 2 : w === 0 ? day + 1 : day;
}

/** The day itself if it is a weekday, else the Friday before. */
export function businessDayOnOrBefore(day: number): number {
  const w = weekday(day);
  return w === 6 ? day - 1 : w === 0 ? day - 2 : day;
}

const TWO = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** Cached 'YYYY-MM-DD' text for a window of days. */
export class Calendar {
  private readonly text: string[];
  private readonly months: Uint8Array;
  private readonly years: Uint16Array;

  readonly firstDay: number;
  readonly lastDay: number;
  constructor(firstDay: number, lastDay: number) {
    this.firstDay = firstDay;
    this.lastDay = lastDay;
    const n = lastDay - firstDay + 1;
    this.text = new Array<string>(n);
    this.months = new Uint8Array(n);
    this.years = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const d = new Date((firstDay + i) * DAY_MS);
      this.text[i] = d.toISOString().slice(0, 10);
      this.months[i] = d.getUTCMonth() + 1;
      this.years[i] = d.getUTCFullYear();
    }
  }

  private index(day: number): number {
    const i = day - this.firstDay;
    if (i < 0 || i >= this.text.length)
      throw new Error(`day ${isoDay(day)} is outside the calendar ${isoDay(this.firstDay)}..${isoDay(this.lastDay)}`);
    return i;
  }

  /** 'YYYY-MM-DD' */
  date(day: number): string {
    return this.text[this.index(day)]!;
  }

  /** 'YYYY-MM-DD HH:MM:SS' for a day and a second of that day. */
  dateTime(day: number, second: number): string {
    const s = second % 60;
    const m = Math.floor(second / 60) % 60;
    const h = Math.floor(second / 3600);
    return `${this.text[this.index(day)]} ${TWO[h]}:${TWO[m]}:${TWO[s]}`;
  }

  month(day: number): number {
    return this.months[this.index(day)]!;
  }

  year(day: number): number {
    return this.years[this.index(day)]!;
  }

  /** The same day of the month `months` later (clamped to the month's end). */
  addMonths(day: number, months: number): number {
    const d = new Date(day * DAY_MS);
    const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
    const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    return dayOf(target.getUTCFullYear(), target.getUTCMonth() + 1, Math.min(d.getUTCDate(), last));
  }
}
