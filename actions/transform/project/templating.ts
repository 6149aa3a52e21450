/**
 * Jinja as dbt models use it, on nunjucks: `ref`, `source`, `config`, `var`, `this`,
 * `is_incremental`, `doc`, `env_var`, `target`, macros from macro-paths (global, as in dbt), with
 * nunjucks' Jinja compatibility (`.items()`, slices, `~`). Templates are compiled once and
 * rendered synchronously; the functions a template calls dispatch to the hooks of the render in
 * progress, so the same compiled template serves the parse render (which records refs and
 * config) and the compile render (which resolves relations).
 * https://mozilla.github.io/nunjucks/templating.html
 */
import { createHash } from 'node:crypto';
import nunjucks from 'nunjucks';
import type { Location } from '../../platform/errors.ts';
import { parseSimple, simpleTemplate, SimpleTemplateError, type SimpleTemplate } from './simple-template.ts';
import type { Relation } from './types.ts';

nunjucks.installJinjaCompat();

export interface RenderHooks {
  ref(name: string, pkg?: string): unknown;
  source(source: string, table: string): unknown;
  config(values: Record<string, unknown>): void;
  isIncremental(): boolean;
  this?: Relation;
}

/** Compiled JavaScript of templates by `templateKey`, kept between runs (template-cache.json). */
export interface TemplateCache {
  get(key: string): string | undefined;
  set(key: string, code: string): void;
}

const NUNJUCKS = nunjucks as unknown as {
  compiler: { compile(src: string, asyncFilters: string[], extensions: unknown[], name: string, opts: object): string };
  lib: { _prettifyError(path: string, withInternals: boolean, err: unknown): Error };
};
const NUNJUCKS_VERSION = '3';

export function templateKey(source: string, name: string): string {
  return createHash('sha256').update(`${NUNJUCKS_VERSION}\0${name}\0${source}`).digest('hex');
}

export interface TemplateOptions {
  /** Reuse compiled templates. Default: none. */
  cache?: TemplateCache;
  vars: Readonly<Record<string, unknown>>;
  /** Values `env_var()` may read (the CLI passes its environment). Default none. */
  envVars?: Readonly<Record<string, string | undefined>>;
  docs?: ReadonlyMap<string, string>;
  /** `target.schema`, `target.name`. */
  target?: { name: string; schema: string };
}

/** A compiled template: nunjucks', or the fast path for plain SQL with simple calls. */
export type CompiledTemplate = nunjucks.Template | SimpleTemplate;

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
}

function fail(err: Error): never {
  throw err;
}

/** A template that failed to compile or render: a project problem with file and line. */
export class TemplateError extends Error {
  readonly location: Location;
  constructor(message: string, location: Location) {
    super(message);
    this.location = location;
    this.name = 'TemplateError';
  }
}

/** Thrown by `exceptions.raise_compiler_error` and `var()` without a value: shown without nunjucks' wrapping. */
class CompilerError extends Error {}

const NOOP_HOOKS: RenderHooks = {
  ref: () => '',
  source: () => '',
  config: () => {},
  isIncremental: () => false,
};

function positional(args: unknown[]): unknown[] {
  return args.filter((a) => !(a && typeof a === 'object' && (a as { __keywords?: boolean }).__keywords));
}

function keywords(args: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) {
    if (a && typeof a === 'object' && !Array.isArray(a)) Object.assign(out, a);
  }
  delete out.__keywords;
  return out;
}

export class TemplateEngine {
  readonly env: nunjucks.Environment;
  private hooks: RenderHooks = NOOP_HOOKS;
  /** Macro name -> file that defines it. */
  readonly macroFiles = new Map<string, string>();

  private readonly options: TemplateOptions;
  constructor(options: TemplateOptions) {
    this.options = options;
    this.env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
    const g = (name: string, fn: unknown) => this.env.addGlobal(name, fn);
    g('ref', (...args: unknown[]) => {
      const p = positional(args).map(String);
      return p.length >= 2 ? this.hooks.ref(p[1]!, p[0]) : this.hooks.ref(p[0] ?? '');
    });
    g('source', (...args: unknown[]) => {
      const p = positional(args).map(String);
      return this.hooks.source(p[0] ?? '', p[1] ?? '');
    });
    g('config', (...args: unknown[]) => {
      this.hooks.config(keywords(args));
      return '';
    });
    g('var', (...args: unknown[]) => {
      const [name, fallback] = positional(args);
      const key = String(name);
      if (Object.hasOwn(this.options.vars, key)) return this.options.vars[key];
      if (args.length >= 2) return fallback;
      throw new CompilerError(
        `required var '${key}' is not set. To fix this, set it under vars: in pipeline.yml, pass --vars "{${key}: ...}", or give var() a default`,
      );
    });
    g('env_var', (...args: unknown[]) => {
      const [name, fallback] = positional(args);
      const value = this.options.envVars?.[String(name)];
      if (value !== undefined) return value;
      if (args.length >= 2) return fallback;
      throw new CompilerError(`env_var('${String(name)}') is not set and has no default`);
    });
    g('is_incremental', () => this.hooks.isIncremental());
    g('doc', (name: unknown) => {
      const text = this.options.docs?.get(String(name));
      if (text === undefined) throw new CompilerError(`doc('${String(name)}') names no {% docs %} block in the project's .md files`);
      return text;
    });
    g('log', () => '');
    g('exceptions', {
      raise_compiler_error: (msg: unknown) => {
        throw new CompilerError(String(msg));
      },
      warn: () => '',
    });
    g('target', { name: options.target?.name ?? 'default', schema: options.target?.schema ?? '', type: 'mysql', threads: 1 });
    g('run_started_at', new Date());
  }

  /**
   * Compiles a template; throws TemplateError naming the file and line. nunjucks' compiler (template
   * to JavaScript) is the slow part of reading a project, mostly while V8 warms up; with a cache the
   * JavaScript of an unchanged template is reused (dbt's partial parsing, in spirit).
   */
  compile(source: string, name: string): nunjucks.Template {
    const key = this.options.cache ? templateKey(source, name) : '';
    let code = this.options.cache?.get(key);
    try {
      if (code === undefined) {
        code = NUNJUCKS.compiler.compile(source, [], [], name, {}) as string;
        this.options.cache?.set(key, code);
      }
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- nunjucks' own way of loading compiled templates
      const props = new Function(code)() as object;
      return new nunjucks.Template({ type: 'code', obj: props } as unknown as string, this.env, name, true);
    } catch (err) {
      throw toTemplateError(NUNJUCKS.lib._prettifyError(name, false, err), name, 0);
    }
  }

  /** Compiles a model or test file: the fast path for plain SQL with simple calls, else nunjucks. */
  compileFile(source: string, name: string): CompiledTemplate {
    const parts = parseSimple(source);
    if (parts) return simpleTemplate(parts, (fn) => this.env.getGlobal(fn) as (...args: unknown[]) => unknown);
    return this.compile(source, name);
  }

  /** Renders synchronously with `hooks` answering ref/source/config/is_incremental. */
  render(template: CompiledTemplate, name: string, hooks: RenderHooks, context: Record<string, unknown> = {}): string {
    const previous = this.hooks;
    this.hooks = hooks;
    try {
      return template.render({ ...context, this: hooks.this });
    } catch (err) {
      if (err instanceof SimpleTemplateError) {
        const message = errorText(err.original);
        return fail(
          new TemplateError(
            `template error: ${message}${message.includes('To fix this') ? '' : '. To fix this, correct the template at that line.'}`,
            { file: name, line: err.line },
          ),
        );
      }
      throw toTemplateError(err, name, 1);
    } finally {
      this.hooks = previous;
    }
  }

  /**
   * Loads the macros of one macro file and makes them global (dbt's macros are callable from every
   * model without an import). Returns the names defined.
   */
  loadMacros(source: string, name: string): string[] {
    const template = this.compile(source, name);
    let exported: Record<string, unknown> = {};
    try {
      (template as unknown as { getExported(cb: (err: unknown, exp: Record<string, unknown>) => void): void }).getExported((err, exp) => {
        if (err) throw err;
        exported = exp;
      });
    } catch (err) {
      throw toTemplateError(err, name, 1);
    }
    const names: string[] = [];
    for (const [macroName, fn] of Object.entries(exported)) {
      if (typeof fn !== 'function') continue;
      this.env.addGlobal(macroName, fn);
      this.macroFiles.set(macroName, name);
      names.push(macroName);
    }
    return names;
  }

  /** Renders a description that may use `{{ doc('name') }}`; plain text is returned as is. */
  renderText(text: string, name: string): string {
    if (!text.includes('{{') && !text.includes('{%')) return text;
    return this.render(this.compile(text, name), name, NOOP_HOOKS);
  }
}

/** nunjucks errors read `(file) [Line N, Column M]\n  message`; render errors count lines from 0. */
export function toTemplateError(err: unknown, file: string, lineOffset: number): TemplateError {
  if (err instanceof TemplateError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  const m = /^\(([^)]*)\)(?: \[Line (\d+), Column (\d+)\])?\s*\n?\s*([\s\S]*)$/.exec(raw);
  const where = m?.[1] || file;
  const line = m?.[2] !== undefined ? Number(m[2]) + lineOffset : undefined;
  const column = m?.[3] !== undefined ? Number(m[3]) : undefined;
  let message = (m?.[4] ?? raw)
    .replace(/^Error: /, '')
    .replace(/^Template render error: /, '')
    .trim();
  // nunjucks nests a second header when the error came from inside a macro or an include.
  const inner = /^\(([^)]*)\)(?: \[Line (\d+), Column (\d+)\])?\s*\n?\s*([\s\S]*)$/.exec(message);
  if (inner) message = inner[4]!.replace(/^Error: /, '').trim();
  const hint = /Unable to call `(\w+)`/.exec(message)
    ? ` To fix this, define that macro in macro-paths or correct the name.`
    : message.includes('To fix this')
      ? ''
      : ' To fix this, correct the template at that line.';
  return new TemplateError(`template error: ${message}.${hint}`.replace(/\.\./g, '.'), { file: where, line, column });
}
