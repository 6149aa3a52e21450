/**
 * dbt's `modules` (`modules.datetime`, `modules.re`, `modules.itertools`, `modules.pytz`): the
 * parts of those Python modules dbt projects call, in JavaScript. Times are UTC (the sessions
 * run in UTC, see platform/db.ts); pytz knows only UTC and fixed offsets are not parsed: a
 * `pytz.timezone('Asia/Tokyo')` gives an object whose times stay UTC, said in its `zone`.
 * https://docs.getdbt.com/reference/dbt-jinja-functions/modules
 */
import { splitArgs } from './jinja-args.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Python's datetime (UTC), with strftime/isoformat/date/replace. */
export class PyDateTime {
  constructor(
    readonly ms: number,
    private readonly dateOnly = false,
  ) {}
  private get d(): Date {
    return new Date(this.ms);
  }
  get year() {
    return this.d.getUTCFullYear();
  }
  get month() {
    return this.d.getUTCMonth() + 1;
  }
  get day() {
    return this.d.getUTCDate();
  }
  get hour() {
    return this.d.getUTCHours();
  }
  get minute() {
    return this.d.getUTCMinutes();
  }
  get second() {
    return this.d.getUTCSeconds();
  }
  get microsecond() {
    return this.d.getUTCMilliseconds() * 1000;
  }
  strftime(fmt: unknown): string {
    const d = this.d;
    const map: Record<string, string> = {
      Y: String(d.getUTCFullYear()),
      y: pad(d.getUTCFullYear() % 100),
      m: pad(d.getUTCMonth() + 1),
      d: pad(d.getUTCDate()),
      H: pad(d.getUTCHours()),
      I: pad(d.getUTCHours() % 12 || 12),
      p: d.getUTCHours() < 12 ? 'AM' : 'PM',
      M: pad(d.getUTCMinutes()),
      S: pad(d.getUTCSeconds()),
      f: pad(d.getUTCMilliseconds() * 1000, 6),
      j: pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1, 3),
      A: DAYS[d.getUTCDay()]!,
      a: DAYS[d.getUTCDay()]!.slice(0, 3),
      B: MONTHS[d.getUTCMonth()]!,
      b: MONTHS[d.getUTCMonth()]!.slice(0, 3),
      w: String(d.getUTCDay()),
      z: '+0000',
      Z: 'UTC',
      '%': '%',
    };
    return String(fmt).replace(/%([A-Za-z%])/g, (m, k: string) => map[k] ?? m);
  }
  isoformat(sep: unknown = 'T'): string {
    const iso = this.d.toISOString();
    return this.dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)}${String(sep)}${iso.slice(11, 19)}.${pad(this.microsecond, 6)}+00:00`;
  }
  date(): PyDateTime {
    return new PyDateTime(Date.UTC(this.year, this.month - 1, this.day), true);
  }
  timestamp(): number {
    return this.ms / 1000;
  }
  weekday(): number {
    return (this.d.getUTCDay() + 6) % 7;
  }
  replace(...args: unknown[]): PyDateTime {
    const k = splitArgs(args).keywords as Record<string, number>;
    const d = this.d;
    return new PyDateTime(
      Date.UTC(
        k.year ?? d.getUTCFullYear(),
        (k.month ?? d.getUTCMonth() + 1) - 1,
        k.day ?? d.getUTCDate(),
        k.hour ?? d.getUTCHours(),
        k.minute ?? d.getUTCMinutes(),
        k.second ?? d.getUTCSeconds(),
      ),
      this.dateOnly,
    );
  }
  astimezone(): PyDateTime {
    return this;
  }
  /** Python's `dt + timedelta` written as a method (Jinja's `+` on objects is not arithmetic here). */
  add(delta: PyTimeDelta): PyDateTime {
    return new PyDateTime(this.ms + delta.ms, this.dateOnly);
  }
  toString(): string {
    return this.dateOnly ? this.isoformat() : this.isoformat(' ').replace(/\.000000\+00:00$/, '+00:00');
  }
  toJSON(): string {
    return this.isoformat();
  }
}

export class PyTimeDelta {
  constructor(readonly ms: number) {}
  get days() {
    return Math.floor(this.ms / 86400000);
  }
  total_seconds(): number {
    return this.ms / 1000;
  }
}

function strptime(text: unknown, fmt: unknown): PyDateTime {
  const parts: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  const order: string[] = [];
  const re = String(fmt)
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%([YmdHMSf])/g, (_m, k: string) => {
      order.push(k);
      return k === 'Y' ? '(\\d{4})' : k === 'f' ? '(\\d{1,6})' : '(\\d{1,2})';
    });
  const m = new RegExp(`^${re}$`).exec(String(text));
  if (!m) throw new Error(`time data '${String(text)}' does not match format '${String(fmt)}'`);
  order.forEach((k, i) => {
    parts[k] = Number(m[i + 1]);
  });
  return new PyDateTime(Date.UTC(parts.Y!, parts.m! - 1, parts.d!, parts.H!, parts.M!, parts.S!));
}

const callable = <T extends object>(fn: (...a: unknown[]) => unknown, props: T) => Object.assign(fn, props);

function datetimeModule() {
  const nowDt = () => new PyDateTime(Date.now());
  const datetime = callable(
    (...a: unknown[]) => {
      const n = splitArgs(a).positional.map(Number);
      return new PyDateTime(Date.UTC(n[0]!, (n[1] ?? 1) - 1, n[2] ?? 1, n[3] ?? 0, n[4] ?? 0, n[5] ?? 0));
    },
    {
      now: nowDt,
      utcnow: nowDt,
      today: nowDt,
      strptime,
      fromisoformat: (s: unknown) =>
        new PyDateTime(
          Date.parse(
            String(s)
              .replace(' ', 'T')
              .replace(/(T\d\d:\d\d(:\d\d)?(\.\d+)?)$/, '$1Z'),
          ),
        ),
      fromtimestamp: (s: unknown) => new PyDateTime(Number(s) * 1000),
    },
  );
  const date = callable(
    (...a: unknown[]) => {
      const n = splitArgs(a).positional.map(Number);
      return new PyDateTime(Date.UTC(n[0]!, (n[1] ?? 1) - 1, n[2] ?? 1), true);
    },
    {
      today: () => nowDt().date(),
      fromisoformat: (s: unknown) => new PyDateTime(Date.parse(`${String(s)}T00:00:00Z`), true),
    },
  );
  const timedelta = (...a: unknown[]) => {
    const { positional, keywords } = splitArgs(a);
    const k = keywords as Record<string, number>;
    const days = (k.days ?? (positional[0] as number) ?? 0) + (k.weeks ?? 0) * 7;
    return new PyTimeDelta(
      ((days * 24 + (k.hours ?? 0)) * 60 + (k.minutes ?? 0)) * 60000 + (k.seconds ?? 0) * 1000 + (k.milliseconds ?? 0),
    );
  };
  return { datetime, date, timedelta, timezone: { utc: 'UTC' } };
}

function reModule() {
  const flagsOf = (f: unknown) => {
    const n = Number(f ?? 0);
    return `${n & 2 ? 'i' : ''}${n & 8 ? 'm' : ''}${n & 16 ? 's' : ''}`;
  };
  const toJs = (p: unknown) =>
    String(p)
      .replace(/\(\?P<(\w+)>/g, '(?<$1>')
      .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  const matchObject = (m: RegExpExecArray | null) =>
    m && {
      group: (i: unknown = 0) => (typeof i === 'string' ? m.groups?.[i] : m[Number(i)]) ?? null,
      groups: () => m.slice(1).map((g) => g ?? null),
      groupdict: () => ({ ...(m.groups ?? {}) }),
      start: () => m.index,
      end: () => m.index + m[0].length,
      span: () => [m.index, m.index + m[0].length],
    };
  const compile = (pattern: unknown, flags?: unknown) => {
    const src = toJs(pattern);
    const f = flagsOf(flags);
    return {
      pattern: String(pattern),
      search: (s: unknown) => matchObject(new RegExp(src, f).exec(String(s))),
      match: (s: unknown) => matchObject(new RegExp(`^(?:${src})`, f).exec(String(s))),
      fullmatch: (s: unknown) => matchObject(new RegExp(`^(?:${src})$`, f).exec(String(s))),
      findall: (s: unknown) =>
        [...String(s).matchAll(new RegExp(src, `${f}g`))].map((m) => (m.length === 1 ? m[0] : m.length === 2 ? m[1] : m.slice(1))),
      sub: (repl: unknown, s: unknown) => String(s).replace(new RegExp(src, `${f}g`), String(repl).replace(/\\(\d)/g, '$$$1')),
      split: (s: unknown) => String(s).split(new RegExp(src, f)),
    };
  };
  return {
    compile,
    search: (p: unknown, s: unknown, fl?: unknown) => compile(p, fl).search(s),
    match: (p: unknown, s: unknown, fl?: unknown) => compile(p, fl).match(s),
    fullmatch: (p: unknown, s: unknown, fl?: unknown) => compile(p, fl).fullmatch(s),
    findall: (p: unknown, s: unknown, fl?: unknown) => compile(p, fl).findall(s),
    sub: (p: unknown, r: unknown, s: unknown, fl?: unknown) => compile(p, fl).sub(r, s),
    split: (p: unknown, s: unknown, fl?: unknown) => compile(p, fl).split(s),
    escape: (s: unknown) => String(s).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    IGNORECASE: 2,
    I: 2,
    MULTILINE: 8,
    M: 8,
    DOTALL: 16,
    S: 16,
  };
}

function itertoolsModule() {
  const product = (...a: unknown[]) => {
    const { positional, keywords } = splitArgs(a);
    const lists = positional.map((l) => [...(l as Iterable<unknown>)]);
    const all = Array.from({ length: Number(keywords.repeat ?? 1) }, () => lists).flat();
    return all.reduce<unknown[][]>((acc, list) => acc.flatMap((p) => list.map((x) => [...p, x])), [[]]);
  };
  const combinations = (list: unknown, r: unknown): unknown[][] => {
    const items = [...(list as Iterable<unknown>)];
    const out: unknown[][] = [];
    const go = (start: number, acc: unknown[]) => {
      if (acc.length === Number(r)) return void out.push(acc);
      for (let i = start; i < items.length; i++) go(i + 1, [...acc, items[i]]);
    };
    go(0, []);
    return out;
  };
  const permutations = (list: unknown, r?: unknown): unknown[][] => {
    const items = [...(list as Iterable<unknown>)];
    const size = r === undefined || r === null ? items.length : Number(r);
    const out: unknown[][] = [];
    const go = (acc: number[]) => {
      if (acc.length === size) return void out.push(acc.map((i) => items[i]));
      for (let i = 0; i < items.length; i++) if (!acc.includes(i)) go([...acc, i]);
    };
    go([]);
    return out;
  };
  return {
    product,
    combinations,
    permutations,
    chain: (...lists: unknown[]) => splitArgs(lists).positional.flatMap((l) => [...(l as Iterable<unknown>)]),
  };
}

export function dbtModules() {
  const utc = { zone: 'UTC', localize: (dt: unknown) => dt, toString: () => 'UTC' };
  return {
    datetime: datetimeModule(),
    re: reModule(),
    itertools: itertoolsModule(),
    pytz: { utc, UTC: utc, timezone: (name: unknown) => ({ ...utc, zone: String(name) }) },
  };
}
