/**
 * The fast path for the most common model: plain SQL whose only template code is
 * `{{ ref('x') }}`, `{{ source('a', 'b') }}`, `{{ config(k=literal, ...) }}`, `{{ var('x'[, default]) }}`
 * or `{{ this }}` (dbt's "static parser" idea). Such a file is split once into text and calls and
 * rendered without nunjucks, which is much faster to read than compiling a template; anything else
 * (`{% %}`, `{# #}`, whitespace control, other expressions) returns undefined and goes to nunjucks.
 * The calls go to the same globals as in nunjucks, so both paths render identically.
 */

type Literal = string | number | boolean | null | Literal[];
type Part =
  | string
  | { fn: 'ref' | 'source' | 'var' | 'config'; args: Literal[]; kwargs?: Record<string, Literal>; line: number }
  | { fn: 'this'; line: number };

export interface SimpleTemplate {
  readonly simple: true;
  render(ctx: Record<string, unknown>): string;
}

class LiteralParser {
  private i = 0;
  private readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  ws() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }
  done() {
    this.ws();
    return this.i >= this.s.length;
  }
  eat(ch: string): boolean {
    this.ws();
    if (this.s[this.i] === ch) {
      this.i++;
      return true;
    }
    return false;
  }
  ident(): string | undefined {
    this.ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }
  literal(): Literal | undefined {
    this.ws();
    const rest = this.s.slice(this.i);
    const str = /^'([^'\\\n]*)'|^"([^"\\\n]*)"/.exec(rest);
    if (str) {
      this.i += str[0].length;
      return str[1] ?? str[2]!;
    }
    const num = /^-?\d+(\.\d+)?(?![\w.])/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    if (this.eat('[')) {
      const items: Literal[] = [];
      if (this.eat(']')) return items;
      do {
        const v = this.literal();
        if (v === undefined) return undefined;
        items.push(v);
      } while (this.eat(','));
      return this.eat(']') ? items : undefined;
    }
    const save = this.i;
    const word = this.ident();
    const words: Record<string, Literal> = { true: true, True: true, false: false, False: false, none: null, None: null };
    if (word !== undefined && word in words) return words[word]!;
    this.i = save;
    return undefined;
  }
}

function parseExpression(expr: string, line: number): Part | undefined {
  const p = new LiteralParser(expr);
  const name = p.ident();
  if (name === 'this') return p.done() ? { fn: 'this', line } : undefined;
  if (name !== 'ref' && name !== 'source' && name !== 'var' && name !== 'config') return undefined;
  if (!p.eat('(')) return undefined;
  const args: Literal[] = [];
  const kwargs: Record<string, Literal> = {};
  if (!p.eat(')')) {
    do {
      if (name === 'config') {
        const key = p.ident();
        if (!key || !p.eat('=')) return undefined;
        const v = p.literal();
        if (v === undefined) return undefined;
        kwargs[key] = v;
      } else {
        const v = p.literal();
        if (v === undefined) return undefined;
        args.push(v);
      }
    } while (p.eat(','));
    if (!p.eat(')')) return undefined;
  }
  if (!p.done()) return undefined;
  if ((name === 'ref' || name === 'source') && !args.every((a) => typeof a === 'string')) return undefined;
  return name === 'config' ? { fn: name, args, kwargs, line } : { fn: name, args, line };
}

/** Splits a simple template into parts, or undefined when nunjucks is needed. */
export function parseSimple(source: string): Part[] | undefined {
  if (source.includes('{%') || source.includes('{#') || source.includes('#}') || source.includes('%}')) return undefined;
  const parts: Part[] = [];
  let last = 0;
  let line = 1;
  const re = /\{\{([\s\S]*?)\}\}/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const text = source.slice(last, m.index);
    if (text.includes('{{') || text.includes('}}')) return undefined;
    line += text.match(/\n/g)?.length ?? 0;
    const inner = m[1]!;
    if (inner.startsWith('-') || inner.endsWith('-') || inner.includes('{') || inner.includes('}')) return undefined;
    const part = parseExpression(inner, line);
    if (!part) return undefined;
    if (text) parts.push(text);
    parts.push(part);
    line += inner.match(/\n/g)?.length ?? 0;
    last = m.index + m[0].length;
  }
  const tail = source.slice(last);
  if (tail.includes('{{') || tail.includes('}}')) return undefined;
  if (tail) parts.push(tail);
  return parts;
}

/** An error raised by a call in a simple template, with the template line it came from. */
export class SimpleTemplateError extends Error {
  readonly original: unknown;
  readonly line: number;
  constructor(original: unknown, line: number) {
    super(original instanceof Error ? original.message : String(original));
    this.original = original;
    this.line = line;
  }
}

export function simpleTemplate(parts: readonly Part[], globals: (name: string) => (...args: unknown[]) => unknown): SimpleTemplate {
  return {
    simple: true,
    render(ctx) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        let value: unknown;
        try {
          if (part.fn === 'this') value = ctx.this;
          else if (part.fn === 'config') value = globals('config')({ ...part.kwargs, __keywords: true });
          else value = globals(part.fn)(...part.args);
        } catch (err) {
          throw new SimpleTemplateError(err, part.line);
        }
        // nunjucks prints null and undefined as nothing, anything else with its toString.
        if (value !== null && value !== undefined) out += String(value);
      }
      return out;
    },
  };
}
