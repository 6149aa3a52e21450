/**
 * The Python methods that dbt's Jinja code calls on strings, lists and dicts (`'a,b'.split(',')`,
 * `name.upper()`, `cols.append(c)`, `d.items()`, `', '.join(xs)`), with Python's behaviour where
 * JavaScript's differs (`replace` replaces every occurrence, `split()` splits on whitespace).
 * Looked up by jinja-runtime.ts's memberLookup; undefined means "not a Python method".
 */
import { splitArgs } from './jinja-args.ts';

type Fn = (...args: unknown[]) => unknown;

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function stringMethod(s: string, name: string): Fn | undefined {
  switch (name) {
    case 'upper':
      return () => s.toUpperCase();
    case 'lower':
      return () => s.toLowerCase();
    case 'strip':
      return (chars?: unknown) =>
        chars ? s.replace(new RegExp(`^[${escapeRe(str(chars))}]+|[${escapeRe(str(chars))}]+$`, 'g'), '') : s.trim();
    case 'lstrip':
      return (chars?: unknown) => (chars ? s.replace(new RegExp(`^[${escapeRe(str(chars))}]+`), '') : s.trimStart());
    case 'rstrip':
      return (chars?: unknown) => (chars ? s.replace(new RegExp(`[${escapeRe(str(chars))}]+$`), '') : s.trimEnd());
    case 'startswith':
      return (p: unknown) => (Array.isArray(p) ? p.some((x) => s.startsWith(str(x))) : s.startsWith(str(p)));
    case 'endswith':
      return (p: unknown) => (Array.isArray(p) ? p.some((x) => s.endsWith(str(x))) : s.endsWith(str(p)));
    case 'split':
      return (sep?: unknown, max?: unknown) => {
        const parts = sep === undefined || sep === null ? s.trim().split(/\s+/).filter(Boolean) : s.split(str(sep));
        if (typeof max === 'number' && max >= 0 && parts.length > max + 1) {
          return [...parts.slice(0, max), parts.slice(max).join(sep === undefined || sep === null ? ' ' : str(sep))];
        }
        return parts;
      };
    case 'replace':
      return (a: unknown, b: unknown) => s.split(str(a)).join(str(b));
    case 'join':
      return (items: unknown) => (Array.isArray(items) ? items.map(str).join(s) : '');
    case 'format':
      return (...args: unknown[]) => {
        const { positional, keywords } = splitArgs(args);
        let n = 0;
        return s.replace(/\{(\w*)\}/g, (_m, k: string) =>
          str(k === '' ? positional[n++] : /^\d+$/.test(k) ? positional[Number(k)] : keywords[k]),
        );
      };
    case 'title':
      return () => s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
    case 'capitalize':
      return () => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    case 'find':
      return (x: unknown) => s.indexOf(str(x));
    case 'count':
      return (x: unknown) => s.split(str(x)).length - 1;
    case 'isdigit':
      return () => /^\d+$/.test(s);
    case 'isalpha':
      return () => /^[A-Za-z]+$/.test(s);
    case 'isupper':
      return () => s === s.toUpperCase() && s !== s.toLowerCase();
    case 'islower':
      return () => s === s.toLowerCase() && s !== s.toUpperCase();
    case 'zfill':
      return (w: unknown) => s.padStart(Number(w), '0');
    default:
      return undefined;
  }
}

function listMethod(list: unknown[], name: string): Fn | undefined {
  switch (name) {
    case 'append':
      return (x: unknown) => void list.push(x);
    case 'extend':
      return (xs: unknown) => void list.push(...(Array.isArray(xs) ? xs : []));
    case 'insert':
      return (i: unknown, x: unknown) => void list.splice(Number(i), 0, x);
    case 'pop':
      return (i?: unknown) => (i === undefined ? list.pop() : list.splice(Number(i) < 0 ? list.length + Number(i) : Number(i), 1)[0]);
    case 'remove':
      return (x: unknown) => {
        const i = list.indexOf(x);
        if (i < 0) throw new Error('list.remove(x): x not in list');
        list.splice(i, 1);
      };
    case 'index':
      return (x: unknown) => list.indexOf(x);
    case 'count':
      return (x: unknown) => list.filter((y) => y === x).length;
    case 'reverse':
      return () => void list.reverse();
    case 'sort':
      return () => void list.sort();
    case 'copy':
      return () => [...list];
    default:
      return undefined;
  }
}

function dictMethod(d: Record<string, unknown>, name: string): Fn | undefined {
  switch (name) {
    case 'items':
      return () => Object.entries(d).filter(([k]) => k !== '__keywords');
    case 'keys':
      return () => Object.keys(d).filter((k) => k !== '__keywords');
    case 'values':
      return () =>
        Object.entries(d)
          .filter(([k]) => k !== '__keywords')
          .map(([, v]) => v);
    case 'get':
      return (k: unknown, fallback: unknown = null) => (Object.hasOwn(d, str(k)) ? d[str(k)] : fallback);
    case 'update':
      return (other: unknown) => {
        const { positional, keywords } = splitArgs([other]);
        Object.assign(d, positional[0] ?? {}, keywords);
      };
    case 'pop':
      return (k: unknown, fallback?: unknown) => {
        const key = str(k);
        if (!Object.hasOwn(d, key)) return fallback;
        const v = d[key];
        delete d[key];
        return v;
      };
    case 'setdefault':
      return (k: unknown, v: unknown = null) => {
        const key = str(k);
        if (!Object.hasOwn(d, key)) d[key] = v;
        return d[key];
      };
    case 'copy':
      return () => ({ ...d });
    case 'has_key':
      return (k: unknown) => Object.hasOwn(d, str(k));
    default:
      return undefined;
  }
}

/** The Python method `name` of `obj`, bound; undefined when there is none. */
export function pythonMember(obj: unknown, name: string): Fn | undefined {
  if (typeof obj === 'string') return stringMethod(obj, name);
  if (Array.isArray(obj)) return listMethod(obj, name);
  if (obj && typeof obj === 'object' && Object.getPrototypeOf(obj) === Object.prototype)
    return dictMethod(obj as Record<string, unknown>, name);
  return undefined;
}
