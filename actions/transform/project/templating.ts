/**
 * dbt's Jinja on nunjucks. Why nunjucks and not MiniJinja: measured in the README (the
 * conformance table): minijinja-js copies values into WebAssembly, so lists cannot be appended
 * to (`{% do cols.append(c) %}`, everywhere in dbt packages), objects lose their methods
 * (`relation.render()`), keyword arguments do not reach JavaScript callbacks and macros cannot
 * take varargs; nunjucks runs in JavaScript and needs only the rewrites of dbt-syntax.ts, the
 * runtime members of jinja-runtime.ts and dbt's context (dbt-context.ts).
 *
 * Templates are compiled once and rendered synchronously; the context's functions answer from
 * the render in progress, so the same compiled template serves the parse render (which records
 * refs, config and macros) and the compile render (which resolves relations and, while running,
 * asks the warehouse: see warehouse.ts for how a synchronous render gets query results).
 * Macros live in packages (the root project, installed packages, and `dbt`, the engine's own
 * macros): each package is a namespace (`dbt_utils.star`), and unqualified names resolve to the
 * root project's macro, else a package's, else dbt's, as in dbt.
 * https://mozilla.github.io/nunjucks/templating.html
 */
import { createHash } from 'node:crypto';
import nunjucks from 'nunjucks';
import type { Location } from '../../platform/errors.ts';
import { CompilerError, installDbtContext, type RenderState, type Warehouse } from './dbt-context.ts';
import { rewriteDbtJinja } from './dbt-syntax.ts';
import { installFilters } from './jinja-filters.ts';
import { installDbtRuntime, patchCompiledCode } from './jinja-runtime.ts';
import { parseSimple, simpleTemplate, SimpleTemplateError, type SimpleTemplate } from './simple-template.ts';
import type { Relation } from './types.ts';

installDbtRuntime();

/** How a render answers ref/source/config/is_incremental, and what it may run. */
export interface RenderHooks {
  ref(name: string, pkg?: string): unknown;
  source(source: string, table: string): unknown;
  config(values: Record<string, unknown>): void;
  isIncremental(): boolean;
  /** Told the unique_id of each macro the render calls (the parse render records them). */
  macroCalled?(uniqueId: string): void;
  this?: Relation;
  /** The database, while running (`execute` is true). Default: none (parsing: `execute` is false). */
  warehouse?: Warehouse;
  /** dbt's `model`: the node being rendered (config.get reads its config). */
  model?: Record<string, unknown>;
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
/** Bumped when the rewrites or the compiled-code patch change, so cached templates are recompiled. */
const ENGINE_VERSION = 'dbt-3';

export function templateKey(source: string, name: string): string {
  return createHash('sha256').update(`${ENGINE_VERSION}\0${name}\0${source}`).digest('hex');
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
  /** The root project's name: its macros win over packages' and dbt's. Default `root`. */
  rootPackage?: string;
  /** `dispatch:` of dbt_project.yml: the search order of a macro namespace. */
  dispatch?: readonly { macro_namespace: string; search_order: readonly string[] }[];
  /** Where log() and print() go. Default: nowhere. */
  log?: (message: string) => void;
}

/** A compiled template: nunjucks', or the fast path for plain SQL with simple calls. */
export type CompiledTemplate = nunjucks.Template | SimpleTemplate;

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
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

const NOOP_HOOKS: RenderHooks = {
  ref: () => '',
  source: () => '',
  config: () => {},
  isIncremental: () => false,
};

/** Adapter prefixes dispatch tries, in order (dbt-mysql's adapter type, then dbt's default). */
const DISPATCH_PREFIXES = ['mysql', 'default'];
const RANK = { dbt: 1, package: 2, root: 3 } as const;

export class TemplateEngine {
  readonly env: nunjucks.Environment;
  private current: RenderState & { hooks: RenderHooks } = { ...NOOP_HOOKS, hooks: NOOP_HOOKS, results: new Map() };
  /** Macro name -> file that defines it (the global, unqualified one). */
  readonly macroFiles = new Map<string, string>();
  /** Package -> its macros (a namespace object templates call: `dbt_utils.star(...)`). */
  private readonly namespaces = new Map<string, Record<string, unknown>>();
  private readonly globalRank = new Map<string, number>();
  private readonly rootPackage: string;
  private graphValue: Record<string, unknown> = { nodes: {}, sources: {}, macros: {} };
  /** Accepted but not run (materialization blocks), for the project's warnings. */
  readonly warnings: { message: string; location: Location }[] = [];

  private readonly options: TemplateOptions;
  /** callMacro's compiled calls, by macro name and arity. */
  private readonly calls = new Map<string, CompiledTemplate>();
  constructor(options: TemplateOptions) {
    this.options = options;
    this.rootPackage = options.rootPackage ?? 'root';
    this.env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
    installFilters(this.env);
    installDbtContext(this.env, {
      state: () => this.current,
      vars: options.vars,
      envVars: options.envVars,
      docs: options.docs,
      target: options.target ?? { name: 'default', schema: '' },
      dispatch: (name, namespace) => this.dispatch(name, namespace),
      graph: () => (this.current.warehouse ? this.graphValue : { nodes: {}, sources: {}, macros: {} }),
      log: (m) => options.log?.(m),
    });
  }

  /** `target.schema`: the schema dbt-mysql selects on the connection. */
  get targetSchema(): string {
    return this.options.target?.schema ?? '';
  }

  /** dbt's `graph` while running: set once the project is read. */
  setGraph(graph: Record<string, unknown>): void {
    this.graphValue = graph;
  }

  /**
   * Compiles a template; throws TemplateError naming the file and line. nunjucks' compiler (template
   * to JavaScript) is the slow part of reading a project, mostly while V8 warms up; with a cache the
   * JavaScript of an unchanged template is reused (dbt's partial parsing, in spirit).
   */
  compile(source: string, name: string): nunjucks.Template {
    const key = this.options.cache ? templateKey(source, name) : '';
    let code = this.options.cache?.get(key);
    // A cached template skips the rewrite; what it warns about is found again (it is rare and cheap).
    if (code !== undefined && source.includes('materialization')) {
      for (const w of rewriteDbtJinja(source).warnings) this.warnings.push({ message: w.message, location: { file: name, line: w.line } });
    }
    try {
      if (code === undefined) {
        const rewritten = rewriteDbtJinja(source);
        for (const w of rewritten.warnings) this.warnings.push({ message: w.message, location: { file: name, line: w.line } });
        code = patchCompiledCode(NUNJUCKS.compiler.compile(rewritten.text, [], [], name, {}) as string);
        this.options.cache?.set(key, code);
      }
      // biome-ignore lint/security/noGlobalEval: nunjucks' own way of loading compiled templates
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
    const previous = this.current;
    this.current = {
      ref: (n, p) => hooks.ref(n, p),
      source: (s, t) => hooks.source(s, t),
      config: (v) => hooks.config(v),
      isIncremental: () => hooks.isIncremental(),
      this: hooks.this,
      warehouse: hooks.warehouse,
      model: hooks.model,
      results: new Map(),
      hooks,
    };
    try {
      return template.render({ ...context, this: hooks.this });
    } catch (err) {
      if (err instanceof SimpleTemplateError) {
        const message = errorText(err.original);
        throw new TemplateError(
          `template error: ${message}${message.includes('To fix this') ? '' : '. To fix this, correct the template at that line.'}`,
          { file: name, line: err.line },
        );
      }
      throw toTemplateError(err, name, 1);
    } finally {
      this.current = previous;
    }
  }

  private register(pkg: string, rank: number, macroName: string, fn: (...args: unknown[]) => unknown, file: string): void {
    let ns = this.namespaces.get(pkg);
    if (!ns) {
      ns = {};
      this.namespaces.set(pkg, ns);
      if (!this.globalRank.has(pkg)) this.env.addGlobal(pkg, ns);
    }
    const uniqueId = `macro.${pkg}.${macroName}`;
    const wrapped = (...args: unknown[]) => {
      this.current.hooks.macroCalled?.(uniqueId);
      return fn(...args);
    };
    ns[macroName] = wrapped;
    if ((this.globalRank.get(macroName) ?? 0) <= rank) {
      this.globalRank.set(macroName, rank);
      this.env.addGlobal(macroName, wrapped);
      this.macroFiles.set(macroName, file);
    }
  }

  /**
   * Loads the macros of one macro file of package `pkg` (default: the root project) into its
   * namespace, and makes them global where no higher-ranked package defines the name. Returns the
   * names defined.
   */
  loadMacros(source: string, name: string, pkg: string = this.rootPackage): string[] {
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
    const rank = pkg === this.rootPackage ? RANK.root : pkg === 'dbt' ? RANK.dbt : RANK.package;
    const names: string[] = [];
    for (const [macroName, fn] of Object.entries(exported)) {
      if (typeof fn !== 'function') continue;
      this.register(pkg, rank, macroName, fn as (...args: unknown[]) => unknown, name);
      names.push(macroName);
    }
    return names;
  }

  /** The macro `adapter.dispatch(name, namespace)` resolves to: `mysql__name`, else `default__name`, by package search order. */
  dispatch(name: string, namespace?: string): unknown {
    const configured = this.options.dispatch?.find((d) => d.macro_namespace === namespace)?.search_order;
    const packages = configured
      ? [...configured]
      : namespace
        ? [this.rootPackage, namespace]
        : [this.rootPackage, ...[...this.namespaces.keys()].filter((p) => p !== this.rootPackage && p !== 'dbt'), 'dbt'];
    // dbt's own macros are always the last resort of the `dbt` namespace.
    if (namespace === 'dbt' && !packages.includes('dbt')) packages.push('dbt');
    for (const pkg of packages) {
      const ns = this.namespaces.get(pkg);
      for (const prefix of DISPATCH_PREFIXES) {
        const fn = ns?.[`${prefix}__${name}`];
        if (fn) return fn;
      }
    }
    throw new CompilerError(
      `adapter.dispatch('${name}'${namespace ? `, '${namespace}'` : ''}) found no ${DISPATCH_PREFIXES.map((p) => `${p}__${name}`).join(' or ')} in ${packages.join(', ')}. To fix this, define one of them in macro-paths or install the package that does (pipeline deps)`,
    );
  }

  /**
   * Calls a macro (by its global name: the project's, else a package's, else the engine's) with
   * positional arguments, `target.schema` being `targetSchema` for the call; returns its output,
   * trimmed. Used for dbt's naming macros (generate_schema_name, generate_alias_name).
   */
  callMacro(name: string, args: readonly unknown[], where: string, targetSchema?: string): string {
    const target = this.env.getGlobal('target') as { schema: string; database: string };
    const saved = { schema: target.schema, database: target.database };
    if (targetSchema !== undefined) Object.assign(target, { schema: targetSchema, database: targetSchema });
    // The call is compiled once per macro and arity (naming macros run for every node); an error
    // in the call itself is reported under `where`.
    const key = `${name}/${args.length}`;
    try {
      let call = this.calls.get(key);
      if (!call) {
        const params = args.map((_, i) => `__arg${i}`);
        call = this.compile(`{{ ${name}(${params.join(', ')}) }}`, `<call ${key}>`);
        this.calls.set(key, call);
      }
      const context = Object.fromEntries(args.map((a, i) => [`__arg${i}`, a]));
      return this.render(call, where, NOOP_HOOKS, context).trim();
    } catch (err) {
      if (err instanceof TemplateError && err.location.file === `<call ${key}>`)
        throw new TemplateError(err.message, { ...err.location, file: where });
      throw err;
    } finally {
      Object.assign(target, saved);
    }
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
