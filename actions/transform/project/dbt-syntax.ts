/**
 * dbt's Jinja, rewritten into what nunjucks parses, before a template is compiled. nunjucks
 * lacks a few of Jinja's statements and Python's call syntax that dbt projects and packages use
 * everywhere; each is rewritten here into an equivalent nunjucks form that calls a helper global
 * (see jinja-globals.ts), keeping every newline so errors still point at the right line:
 *
 *   {% do expr %}                       -> {{ __dbt_do(expr) }}
 *   {% set ns.attr = expr %}            -> {{ __dbt_setattr(ns, "attr", expr) }}
 *   {% set ns.attr %}..{% endset %}     -> {% set __dbt_block %}..{% endset %}{{ __dbt_setattr(ns, "attr", __dbt_block) }}
 *   f(a, *args, **kwargs)               -> f(a, __dbt_varargs=args, __dbt_kwargs=kwargs)   (spread by callWrap)
 *   [a, b,]  f(a,)  {'k': v,}           -> trailing commas dropped
 *   {% test name(args) %}..{% endtest %}-> {% macro test_name(args) %}..{% endmacro %}  (dbt's internal name)
 *   {% materialization %}..{% endmaterialization %} -> removed, with a warning: materializations are the engine's own
 *
 * `{# comments #}` and `{% raw %}` blocks pass through untouched.
 */

export interface RewriteResult {
  readonly text: string;
  /** Things accepted but not run (materialization blocks): the caller reports them as warnings. */
  readonly warnings: readonly { message: string; line: number }[];
}

const TAG = /\{%(-?)([\s\S]*?)(-?)%\}/y;

/** Index just past the end of the `{% ... %}` starting at `i`, honouring quoted strings. */
function tagEnd(s: string, i: number): number {
  let j = i + 2;
  let quote = '';
  for (; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '%' && s[j + 1] === '}') return j + 2;
  }
  return -1;
}

/** Index of the bracket closing the one at `open` (strings skipped), or -1. */
function closing(expr: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Splits at a top-level separator character (not inside brackets or strings). */
function splitTop(expr: string, sep: string, max = Infinity): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === sep && depth === 0 && out.length < max) {
      out.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  out.push(expr.slice(start));
  return out;
}

const QUOTED = /^\s*(?:'[^'\\]*'|"[^"\\]*")\s*$/;

/**
 * A dict literal: Jinja evaluates its keys (`{col.name: col}`), nunjucks takes a bare name as a
 * string; a dict with any key that is not a quoted string becomes `__dbt_dict(key, value, ...)`.
 */
function rewriteDict(inner: string): string {
  if (inner.trim() === '') return '{}';
  const pairs = splitTop(inner, ',')
    .filter((p) => p.trim() !== '')
    .map((p) => splitTop(p, ':', 1));
  if (pairs.every((p) => p.length === 2 && QUOTED.test(p[0]!))) {
    return `{${pairs.map(([k, v]) => `${k}:${rewriteExpression(v!)}`).join(',')}}`;
  }
  return `__dbt_dict(${pairs.map(([k, v]) => `${rewriteExpression(k!)}, ${rewriteExpression(v ?? '')}`).join(', ')})`;
}

/**
 * Rewrites Python call syntax in an expression: spreads, trailing commas, dicts with evaluated
 * keys, and a backslash-newline inside a string (Python's line continuation), whose newline is
 * kept at the end of the expression so lines keep their numbers.
 */
export function rewriteExpression(expr: string): string {
  let out = '';
  let quote = '';
  let held = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\' && expr[i + 1] === '\n') {
        held += '\n';
        i++;
        continue;
      }
      out += c;
      if (c === '\\') out += expr[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c === '{') {
      const end = closing(expr, i);
      if (end > 0) {
        out += rewriteDict(expr.slice(i + 1, end));
        i = end;
        continue;
      }
    }
    if (c === ',') {
      const rest = /^\s*([)\]}])/.exec(expr.slice(i + 1));
      if (rest) continue;
    }
    if (c === '*') {
      // Only right after `(` or `,` is `*` a spread (elsewhere it is multiplication).
      const before = out.trimEnd();
      const m = /^(\*?)\s*([A-Za-z_][\w.]*)/.exec(expr.slice(i + 1));
      if (m && (before.endsWith('(') || before.endsWith(','))) {
        out += `${m[1] ? '__dbt_kwargs' : '__dbt_varargs'}=${m[2]}`;
        i += m[0].length;
        continue;
      }
    }
    out += c;
  }
  return out + held;
}

const lineOf = (s: string, i: number) => s.slice(0, i).split('\n').length;
/** Keeps the newlines of removed text, so later lines keep their numbers. */
const newlines = (s: string) => s.replace(/[^\n]/g, '');

export function rewriteDbtJinja(source: string): RewriteResult {
  if (!source.includes('{')) return { text: source, warnings: [] };
  const warnings: { message: string; line: number }[] = [];
  let out = '';
  let i = 0;
  const setStack: (string | undefined)[] = [];
  while (i < source.length) {
    const next = source.indexOf('{', i);
    if (next < 0) break;
    out += source.slice(i, next);
    const two = source.slice(next, next + 2);
    if (two === '{#') {
      const end = source.indexOf('#}', next + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(next, stop);
      i = stop;
      continue;
    }
    if (two === '{{') {
      const end = source.indexOf('}}', next + 2);
      if (end < 0) {
        out += source.slice(next);
        i = source.length;
        break;
      }
      out += `{{${rewriteExpression(source.slice(next + 2, end))}}}`;
      i = end + 2;
      continue;
    }
    if (two !== '{%') {
      out += '{';
      i = next + 1;
      continue;
    }
    const end = tagEnd(source, next);
    if (end < 0) {
      out += source.slice(next);
      i = source.length;
      break;
    }
    TAG.lastIndex = next;
    const m = TAG.exec(source.slice(0, end))!;
    const [whole, lt, body, rt] = m as unknown as [string, string, string, string];
    const inner = body.trim();
    const word = /^[A-Za-z_]+/.exec(inner)?.[0] ?? '';
    i = end;
    if (word === 'raw') {
      const close = /\{%-?\s*endraw\s*-?%\}/g;
      close.lastIndex = end;
      const c = close.exec(source);
      const stop = c ? c.index + c[0].length : source.length;
      out += source.slice(next, stop);
      i = stop;
      continue;
    }
    if (word === 'materialization') {
      const close = /\{%-?\s*endmaterialization\s*-?%\}/g;
      close.lastIndex = end;
      const c = close.exec(source);
      const stop = c ? c.index + c[0].length : source.length;
      warnings.push({
        message: `{% ${inner.split(/\s*,/)[0]} %} is not run: this engine has its own materializations (view, table, incremental, ephemeral)`,
        line: lineOf(source, next),
      });
      out += newlines(source.slice(next, stop));
      i = stop;
      continue;
    }
    if (word === 'do') {
      out += `{{${lt} __dbt_do(${rewriteExpression(inner.slice(2))}) ${rt}}}${newlines(whole)}`;
      continue;
    }
    if (word === 'test' && /^test\s+[A-Za-z_]\w*\s*\(/.test(inner)) {
      out += `{%${lt} macro test_${rewriteExpression(inner.slice(4).trim())} ${rt}%}`;
      continue;
    }
    if (word === 'endtest') {
      out += `{%${lt} endmacro ${rt}%}`;
      continue;
    }
    if (word === 'set') {
      const attr = /^set\s+([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*(=)?/.exec(inner);
      if (attr?.[3]) {
        const value = rewriteExpression(inner.slice(attr[0].length));
        out += `{{${lt} __dbt_setattr(${attr[1]}, "${attr[2]}", ${value}) ${rt}}}${newlines(whole)}`;
        continue;
      }
      const isBlock = !/=/.test(inner.replace(/(['"])(?:\\.|(?!\1).)*\1/g, ''));
      if (isBlock) setStack.push(attr ? `${attr[1]}, "${attr[2]}"` : undefined);
      if (attr) {
        out += `{%${lt} set __dbt_block ${rt}%}${newlines(whole)}`;
        continue;
      }
    }
    if (word === 'endset') {
      const target = setStack.pop();
      if (target) {
        out += `${whole}{{ __dbt_setattr(${target}, __dbt_block) }}`;
        continue;
      }
    }
    out += `{%${lt}${rewriteExpression(body)}${rt}%}`;
  }
  out += source.slice(i);
  return { text: out, warnings };
}
