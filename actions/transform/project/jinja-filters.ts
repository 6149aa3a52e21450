/**
 * Filters and tests that Jinja (and so dbt) has and nunjucks lacks or does differently:
 * `tojson`, `map`, `unique`, `min`/`max`, `items`, Jinja's `selectattr`/`rejectattr` with a test
 * name, `sort(attribute=)`, `as_bool`/`as_native`/`as_number`/`as_text` (dbt's own), and the
 * tests `none`, `sequence`, `boolean`, `integer`, `float`, `true`, `false`, `in`.
 * https://jinja.palletsprojects.com/en/stable/templates/#list-of-builtin-filters
 */
import type nunjucks from 'nunjucks';
import { splitArgs } from './jinja-args.ts';

type Fn = (...args: unknown[]) => unknown;

const attrOf = (item: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]), item);

/** The JSON Jinja's tojson writes: sorted keys are not required; relations print as strings. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) && typeof v.toJSON !== 'function' && v.constructor !== Object ? String(v) : v,
    indent,
  );
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

export function installFilters(env: nunjucks.Environment): void {
  const tests = (env as unknown as { tests: Record<string, Fn> }).tests;
  const runTest = (name: string, value: unknown, args: unknown[]) => {
    const t = tests[name];
    if (!t) throw new Error(`no test named '${name}'`);
    return Boolean(t(value, ...args));
  };
  const filter = (name: string, fn: Fn) => env.addFilter(name, fn);
  filter('tojson', (v, ...rest) => {
    const { positional, keywords } = splitArgs(rest);
    return toJson(v, (keywords.indent as number | undefined) ?? (positional[0] as number | undefined));
  });
  filter('fromjson', (v) => JSON.parse(String(v)));
  filter('items', (v) => Object.entries((v ?? {}) as object));
  filter('unique', (v) => [...new Set(Array.isArray(v) ? v : [])]);
  filter('min', (v) => (Array.isArray(v) && v.length ? [...v].sort(compare)[0] : undefined));
  filter('max', (v) => (Array.isArray(v) && v.length ? [...v].sort(compare).at(-1) : undefined));
  filter('count', (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys(v ?? {}).length));
  filter('map', (v, ...rest) => {
    const { positional, keywords } = splitArgs(rest);
    const list = Array.isArray(v) ? v : [...((v as Iterable<unknown>) ?? [])];
    if (keywords.attribute !== undefined) return list.map((x) => attrOf(x, String(keywords.attribute)) ?? keywords.default);
    const name = String(positional[0]);
    const f = env.getFilter(name) as Fn;
    return list.map((x) => f(x, ...positional.slice(1)));
  });
  const selectAttr =
    (keep: boolean) =>
    (v: unknown, ...rest: unknown[]) => {
      const [attr, testName, ...args] = splitArgs(rest).positional;
      const list = Array.isArray(v) ? v : [];
      return list.filter((x) => {
        const value = attrOf(x, String(attr));
        const ok = testName === undefined ? Boolean(value) : runTest(String(testName), value, args);
        return ok === keep;
      });
    };
  filter('selectattr', selectAttr(true));
  filter('rejectattr', selectAttr(false));
  const select =
    (keep: boolean) =>
    (v: unknown, ...rest: unknown[]) => {
      const [testName, ...args] = splitArgs(rest).positional;
      return (Array.isArray(v) ? v : []).filter((x) => (testName === undefined ? Boolean(x) : runTest(String(testName), x, args)) === keep);
    };
  filter('select', select(true));
  filter('reject', select(false));
  filter('sort', (v, ...rest) => {
    const { positional, keywords } = splitArgs(rest);
    const reverse = Boolean(keywords.reverse ?? positional[0]);
    const attribute = keywords.attribute as string | undefined;
    const caseSensitive = Boolean(keywords.case_sensitive ?? positional[1]);
    const key = (x: unknown) => {
      const k = attribute ? attrOf(x, attribute) : x;
      return typeof k === 'string' && !caseSensitive ? k.toLowerCase() : k;
    };
    const out = [...(Array.isArray(v) ? v : [])].sort((a, b) => compare(key(a), key(b)));
    return reverse ? out.reverse() : out;
  });
  filter('as_bool', (v) => (typeof v === 'string' ? ['true', '1', 'yes'].includes(v.trim().toLowerCase()) : Boolean(v)));
  filter('as_number', (v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v));
  filter('as_text', (v) => (v === null || v === undefined ? '' : String(v)));
  filter('as_native', (v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(
        v
          .replace(/\bTrue\b/g, 'true')
          .replace(/\bFalse\b/g, 'false')
          .replace(/\bNone\b/g, 'null')
          .replace(/'/g, '"'),
      );
    } catch {
      return v;
    }
  });
  filter('string', (v) => (v === null || v === undefined ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)));
  filter('bool', (v) => Boolean(v));
  filter('format', (fmt, ...args) => {
    let n = 0;
    return String(fmt).replace(/%[sd]/g, () => String(args[n++]));
  });

  tests.none = (v) => v === null || v === undefined;
  tests.sequence = (v) => Array.isArray(v) || typeof v === 'string';
  tests.boolean = (v) => typeof v === 'boolean';
  tests.integer = (v) => Number.isInteger(v);
  tests.float = (v) => typeof v === 'number' && !Number.isInteger(v);
  tests.true = (v) => v === true;
  tests.false = (v) => v === false;
  tests.in = (v, list) =>
    Array.isArray(list)
      ? list.includes(v)
      : typeof list === 'string'
        ? list.includes(String(v))
        : Object.hasOwn((list ?? {}) as object, String(v));
  tests.mapping = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
}
