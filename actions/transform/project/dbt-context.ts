/**
 * dbt's Jinja context, as globals of the nunjucks environment: `ref`, `source`, `config`, `var`,
 * `env_var`, `return`, `namespace`, `zip`, `set`, `modules`, `exceptions`, `log`, `print`,
 * `tojson`/`fromjson`, `api`, `adapter` (`dispatch`, `get_relation`, `get_columns_in_relation`,
 * `quote`, `drop_relation`, ...), `load_relation`, `run_query`, `statement`/`load_result`,
 * `execute`, `graph`, `builtins`, `context`, `target`, `invocation_id`, `run_started_at`, `flags`.
 *
 * Globals are installed once per engine; what differs per render (the node, its ref/source
 * answers, the warehouse while running) is read from the render in progress (`host.state()`).
 * While parsing there is no warehouse: `execute` is false and `run_query` returns None, as in dbt.
 * https://docs.getdbt.com/reference/dbt-jinja-functions
 */
import { createHash, randomUUID } from 'node:crypto';
import type nunjucks from 'nunjucks';
import YAML from 'yaml';
import { quoteIdent, quoteString } from '../../platform/db.ts';
import { agateTable, columnApi, createRelation, DbtColumn, DbtRelation, type AgateTable } from './dbt-relation.ts';
import { toJson } from './jinja-filters.ts';
import { dbtModules, PyDateTime } from './jinja-modules.ts';
import { splitArgs } from './jinja-args.ts';
import { MacroReturn, PY_SET } from './jinja-runtime.ts';
import type { Relation } from './types.ts';

/** Thrown by `exceptions.raise_compiler_error`, `var()` without a value, ...: shown as written. */
export class CompilerError extends Error {}

/** What a template may ask of the database while running (answers are synchronous: see warehouse.ts). */
export interface Warehouse {
  /** Runs `sql`; rows as an agate-like table (empty for statements without rows). */
  query(sql: string): AgateTable;
}

/** The render in progress, as the context's functions see it. */
export interface RenderState {
  ref(name: string, pkg?: string): unknown;
  source(source: string, table: string): unknown;
  config(values: Record<string, unknown>): void;
  isIncremental(): boolean;
  readonly this?: Relation;
  readonly warehouse?: Warehouse;
  /** `statement` results by name, for `load_result`. */
  readonly results: Map<string, unknown>;
  /** dbt's `model`: the node being rendered. */
  readonly model?: Record<string, unknown>;
}

export interface ContextHost {
  state(): RenderState;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly envVars?: Readonly<Record<string, string | undefined>>;
  readonly docs?: ReadonlyMap<string, string>;
  readonly target: { name: string; schema: string };
  /** The macro `adapter.dispatch(name, namespace)` resolves to. */
  dispatch(name: string, namespace?: string): unknown;
  /** dbt's `graph`: nodes and sources of the project (empty while parsing). */
  graph(): Record<string, unknown>;
  log(message: string): void;
}

const NONE = null;

function relationKind(warehouse: Warehouse, schema: string, identifier: string): 'table' | 'view' | undefined {
  const t = warehouse.query(
    `select table_type from information_schema.tables where table_schema = ${quoteString(schema)} and table_name = ${quoteString(identifier)}`,
  );
  const type = t[0]?.[0];
  if (type === undefined) return undefined;
  return String(type).toUpperCase() === 'VIEW' ? 'view' : 'table';
}

function adapterOf(host: ContextHost) {
  const wh = () => host.state().warehouse;
  const getRelation = (...args: unknown[]) => {
    const { positional, keywords } = splitArgs(args);
    const schema = String(keywords.schema ?? positional[1] ?? '');
    const identifier = String(keywords.identifier ?? positional[2] ?? '');
    const w = wh();
    if (!w) return NONE;
    const kind = relationKind(w, schema, identifier);
    return kind ? new DbtRelation(schema, identifier, kind) : NONE;
  };
  const columnsIn = (relation: unknown) => {
    const w = wh();
    if (!w || !relation) return [];
    const r = relation as Relation;
    const t = w.query(
      `select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale from information_schema.columns where table_schema = ${quoteString(r.schema)} and table_name = ${quoteString(r.identifier)} order by ordinal_position`,
    );
    return t.map(
      (row) =>
        new DbtColumn(
          String(row[0]),
          String(row[1]),
          row[2] === null ? null : Number(row[2]),
          row[3] === null ? null : Number(row[3]),
          row[4] === null ? null : Number(row[4]),
        ),
    );
  };
  return {
    type: () => 'mysql',
    dispatch: (...args: unknown[]) => {
      const { positional, keywords } = splitArgs(args);
      return host.dispatch(String(keywords.macro_name ?? positional[0]), (keywords.macro_namespace ?? positional[1]) as string | undefined);
    },
    quote: (s: unknown) => quoteIdent(String(s)),
    quote_as_configured: (s: unknown) => quoteIdent(String(s)),
    quote_seed_column: (s: unknown, quote: unknown) => (quote === false ? String(s) : quoteIdent(String(s))),
    get_relation: getRelation,
    get_columns_in_relation: columnsIn,
    get_missing_columns: (from: unknown, to: unknown) => {
      const have = new Set(columnsIn(to).map((c) => c.name.toLowerCase()));
      return columnsIn(from).filter((c) => !have.has(c.name.toLowerCase()));
    },
    drop_relation: (relation: unknown) => {
      const w = wh();
      if (!w || !relation) return '';
      const r = relation as DbtRelation;
      const kind = r.type ?? relationKind(w, r.schema, r.identifier);
      if (kind) w.query(`drop ${kind === 'view' ? 'view' : 'table'} if exists ${r.render()}`);
      return '';
    },
    rename_relation: (from: unknown, to: unknown) => {
      wh()?.query(`rename table ${String(from)} to ${String(to)}`);
      return '';
    },
    create_schema: (relation: unknown) => {
      wh()?.query(`create database if not exists ${quoteIdent((relation as Relation).schema)}`);
      return '';
    },
    drop_schema: (relation: unknown) => {
      wh()?.query(`drop database if exists ${quoteIdent((relation as Relation).schema)}`);
      return '';
    },
    check_schema_exists: (_db: unknown, schema: unknown) => {
      const w = wh();
      if (!w) return false;
      return w.query(`select 1 from information_schema.schemata where schema_name = ${quoteString(String(schema))}`).length > 0;
    },
    list_relations_without_caching: (schemaRelation: unknown) => {
      const w = wh();
      if (!w) return [];
      const schema = (schemaRelation as Relation).schema;
      const t = w.query(`select table_name, table_type from information_schema.tables where table_schema = ${quoteString(schema)}`);
      return t.map((row) => new DbtRelation(schema, String(row[0]), String(row[1]).toUpperCase() === 'VIEW' ? 'view' : 'table'));
    },
    expand_target_column_types: () => '',
    already_exists: (schema: unknown, identifier: unknown) => getRelation(null, schema, identifier) !== NONE,
    load_relation: (relation: unknown) =>
      relation ? getRelation(null, (relation as Relation).schema, (relation as Relation).identifier) : NONE,
  };
}

export function installDbtContext(env: nunjucks.Environment, host: ContextHost): void {
  const g = (name: string, value: unknown) => env.addGlobal(name, value);
  const runQuery = (sql: unknown): AgateTable | null => {
    const w = host.state().warehouse;
    return w ? w.query(String(sql)) : NONE;
  };
  const adapter = adapterOf(host);
  g('ref', (...args: unknown[]) => {
    const p = splitArgs(args).positional.map(String);
    return p.length >= 2 ? host.state().ref(p[1]!, p[0]) : host.state().ref(p[0] ?? '');
  });
  g('source', (...args: unknown[]) => {
    const p = splitArgs(args).positional.map(String);
    return host.state().source(p[0] ?? '', p[1] ?? '');
  });
  g('config', (...args: unknown[]) => {
    host.state().config(splitArgs(args).keywords);
    return '';
  });
  // `config.get(...)` and `config.require(...)` inside models read the node's config.
  const configFn = env.getGlobal('config') as Record<string, unknown>;
  configFn.get = (key: unknown, fallback: unknown = NONE) => {
    const cfg = (host.state().model?.config ?? {}) as Record<string, unknown>;
    return Object.hasOwn(cfg, String(key)) ? cfg[String(key)] : fallback;
  };
  configFn.require = (key: unknown) => {
    const cfg = (host.state().model?.config ?? {}) as Record<string, unknown>;
    if (!Object.hasOwn(cfg, String(key))) throw new CompilerError(`config '${String(key)}' is required`);
    return cfg[String(key)];
  };
  g('var', (...args: unknown[]) => {
    const [name, fallback] = splitArgs(args).positional;
    const key = String(name);
    if (Object.hasOwn(host.vars, key)) return host.vars[key];
    if (args.length >= 2) return fallback;
    throw new CompilerError(
      `required var '${key}' is not set. To fix this, set it under vars: in pipeline.yml, pass --vars "{${key}: ...}", or give var() a default`,
    );
  });
  g('env_var', (...args: unknown[]) => {
    const [name, fallback] = splitArgs(args).positional;
    const value = host.envVars?.[String(name)];
    if (value !== undefined) return value;
    if (args.length >= 2) return fallback;
    throw new CompilerError(`env_var('${String(name)}') is not set and has no default`);
  });
  g('is_incremental', () => host.state().isIncremental());
  g('should_full_refresh', () => false);
  g('should_store_failures', () => Boolean(((host.state().model?.config ?? {}) as Record<string, unknown>).store_failures));
  g('doc', (name: unknown) => {
    const text = host.docs?.get(String(name));
    if (text === undefined) throw new CompilerError(`doc('${String(name)}') names no {% docs %} block in the project's .md files`);
    return text;
  });
  g('return', (value: unknown) => {
    throw new MacroReturn(value);
  });
  g('__dbt_do', () => '');
  g('__dbt_setattr', (obj: unknown, key: unknown, value: unknown) => {
    (obj as Record<string, unknown>)[String(key)] = value;
    return '';
  });
  g('__dbt_dict', (...kv: unknown[]) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i + 1 < kv.length; i += 2) out[String(kv[i])] = kv[i + 1];
    return out;
  });
  g('namespace', (...args: unknown[]) => ({ ...splitArgs(args).keywords }));
  g('zip', (...lists: unknown[]) => {
    const ls = splitArgs(lists).positional.map((l) => [...((l ?? []) as Iterable<unknown>)]);
    const n = ls.length ? Math.min(...ls.map((l) => l.length)) : 0;
    return Array.from({ length: n }, (_, i) => ls.map((l) => l[i]));
  });
  g('set', (items: unknown = []) => {
    const out = [...new Set([...((items ?? []) as Iterable<unknown>)])];
    Object.defineProperty(out, PY_SET, { value: true });
    return out;
  });
  g('list', (items: unknown = []) =>
    typeof items === 'object' && items !== null && !(Symbol.iterator in items)
      ? Object.keys(items)
      : [...((items ?? []) as Iterable<unknown>)],
  );
  g('dict', (...args: unknown[]) => {
    const { positional, keywords } = splitArgs(args);
    const base = positional[0];
    return { ...(Array.isArray(base) ? Object.fromEntries(base as [string, unknown][]) : ((base ?? {}) as object)), ...keywords };
  });
  g('tojson', (v: unknown) => toJson(v));
  g('fromjson', (s: unknown, fallback: unknown = NONE) => {
    try {
      return JSON.parse(String(s));
    } catch {
      return fallback;
    }
  });
  g('toyaml', (v: unknown) => YAML.stringify(v));
  g('fromyaml', (s: unknown) => YAML.parse(String(s)));
  g('local_md5', (s: unknown) => createHash('md5').update(String(s)).digest('hex'));
  g('modules', dbtModules());
  g('log', (...args: unknown[]) => {
    host.log(String(splitArgs(args).positional[0] ?? ''));
    return '';
  });
  g('print', (msg: unknown) => {
    host.log(String(msg));
    return '';
  });
  g('exceptions', {
    raise_compiler_error: (msg: unknown) => {
      throw new CompilerError(String(msg));
    },
    raise_not_implemented: (msg: unknown) => {
      throw new CompilerError(`not implemented: ${String(msg)}`);
    },
    raise_fail_fast_error: (msg: unknown) => {
      throw new CompilerError(String(msg));
    },
    warn: (msg: unknown) => {
      host.log(`warning: ${String(msg)}`);
      return '';
    },
  });
  g('api', { Relation: { create: createRelation }, Column: columnApi() });
  g('adapter', adapter);
  g('load_relation', (relation: unknown) =>
    relation ? adapter.get_relation(null, (relation as Relation).schema, (relation as Relation).identifier) : NONE,
  );
  g('run_query', runQuery);
  g('statement', (...args: unknown[]) => {
    const { positional, keywords } = splitArgs(args);
    const name = String(keywords.name ?? positional[0] ?? 'statement');
    const caller = keywords.caller as (() => unknown) | undefined;
    const sql = caller ? String(caller()) : '';
    const state = host.state();
    if (!state.warehouse) return '';
    const table = state.warehouse.query(sql);
    state.results.set(name, { response: { code: 'OK', rows_affected: table.length }, data: table.map((r) => [...r]), table });
    return '';
  });
  g('load_result', (name: unknown) => host.state().results.get(String(name)) ?? NONE);
  g('store_result', (name: unknown, response: unknown, table: unknown) => {
    host.state().results.set(String(name), { response, table, data: table });
    return '';
  });
  const runStartedAt = new PyDateTime(Date.now());
  g('run_started_at', runStartedAt);
  g('invocation_id', randomUUID());
  g('flags', { FULL_REFRESH: false, WHICH: 'run', STORE_FAILURES: false });
  g('target', {
    name: host.target.name,
    schema: host.target.schema,
    database: host.target.schema,
    type: 'mysql',
    profile_name: 'pipeline',
    threads: 1,
  });
  g('builtins', { ref: env.getGlobal('ref'), source: env.getGlobal('source'), config: env.getGlobal('config') });
  // `execute`, `graph`, `model` and `context` depend on the render: looked up through getters.
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  Object.defineProperty(globals, 'execute', { get: () => host.state().warehouse !== undefined, configurable: true, enumerable: true });
  Object.defineProperty(globals, 'graph', { get: () => host.graph(), configurable: true, enumerable: true });
  Object.defineProperty(globals, 'model', { get: () => host.state().model ?? NONE, configurable: true, enumerable: true });
  Object.defineProperty(globals, 'context', { get: () => globals, configurable: true, enumerable: true });
}
