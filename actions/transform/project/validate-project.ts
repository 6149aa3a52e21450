/**
 * Validating a project: the files read by project-files.ts (the root project's, then each
 * installed package's) become a frozen Project. No I/O: every problem is collected and returned at
 * once, each with its file and line, the way platform/config.ts's validateConfig does it.
 */
import { relative } from 'node:path';
import type { Problem } from '../../platform/errors.ts';
import { parseDocs } from './docs.ts';
import { buildGenericTest, type TestOwner } from './generic-tests.ts';
import { foldersOf } from './files.ts';
import { testTreeHookWarnings } from './config-tree.ts';
import { checkConfigTrees, checkLeftoverProperties, checkRelationClashes } from './project-checks.ts';
import { resolveDependencies } from './project-dependencies.ts';
import type { ProjectFiles, TextFile } from './project-files.ts';
import { parseExposures, type ExposureNode } from './exposures.ts';
import { parseYaml } from '../../platform/yaml-source.ts';
import { buildModel, buildSeed, buildSingularTest, buildSource, catchTemplate, type BuildContext } from './project-nodes.ts';
import type { ProjectRuntime } from './project-runtime.ts';
import { parseProperties, type NodeProps } from './properties.ts';
import { TemplateEngine, type CompiledTemplate, type TemplateCache } from './templating.ts';
import type { ExecutableNode, MacroNode, ModelNode, Project, SeedNode, SourceNode, TestNode } from './types.ts';

export interface ValidateProjectOptions {
  /** Overrides of pipeline.yml's vars (`--vars`). */
  vars?: Readonly<Record<string, unknown>>;
  /** What `env_var()` may read. Default: nothing. */
  envVars?: Readonly<Record<string, string | undefined>>;
  /** `target.schema` in templates. Default: the config's schema. */
  targetSchema?: string;
  /** Compiled templates kept between runs. Default: none. */
  cache?: TemplateCache;
  /** Where `log()` and `print()` write. Default: nowhere. */
  log?: (message: string) => void;
  /** Installed packages (dbt_packages/), read. Default: none. */
  packages?: readonly ProjectFiles[];
  /** The engine's own macros (the `dbt` namespace: cross-database macros). Default: none. */
  builtinMacros?: readonly TextFile[];
}

export interface ValidatedProject {
  /** Undefined when there are problems. */
  readonly project?: Project;
  readonly runtime?: ProjectRuntime;
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

function byNameOnce(list: readonly NodeProps[], kind: string, problems: Problem[]): Map<string, NodeProps> {
  const map = new Map<string, NodeProps>();
  for (const p of list) {
    const other = map.get(p.name);
    if (other) {
      problems.push({
        message: `${kind} '${p.name}' is described twice (also in ${other.file}). To fix this, keep one entry.`,
        location: p.location,
      });
    } else map.set(p.name, p);
  }
  return map;
}

export function validateProject(files: ProjectFiles, options: ValidateProjectOptions = {}): ValidatedProject {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const config = files.config;
  const vars = Object.freeze({ ...config.vars, ...(options.vars ?? {}) });
  const all = [...(options.packages ?? []), files];
  const docs = parseDocs(
    all.flatMap((p) => p.docs),
    problems,
  );
  warnings.push(...config.warnings);
  const engine = new TemplateEngine({
    cache: options.cache,
    vars,
    envVars: options.envVars,
    docs: new Map([...docs.values()].map((d) => [d.name, d.block_contents])),
    target: { name: 'default', schema: options.targetSchema ?? config.schema },
    rootPackage: config.name,
    dispatch: config.dispatch,
    log: options.log,
  });
  const templates = new Map<string, CompiledTemplate>();
  /** A package's file as named in problems: relative to the root project. */
  const shown = (f: TextFile) => relative(files.rootDir, f.file).split('\\').join('/');

  const macros = new Map<string, MacroNode>();
  const loadMacros = (pkg: string, list: readonly TextFile[], where: (f: TextFile) => string) => {
    for (const f of list) {
      // `{% test %}` blocks (custom generic tests) become `test_<name>` macros: see dbt-syntax.ts.
      for (const name of catchTemplate(problems, () => engine.loadMacros(f.text, where(f), pkg)) ?? []) {
        const test = name.startsWith('test_') ? `(?:macro\\s+${name}|test\\s+${name.slice(5)})` : `macro\\s+${name}`;
        const line = f.text.slice(0, Math.max(0, f.text.search(new RegExp(`${test}\\b`)))).split('\n').length;
        const macro = { unique_id: `macro.${pkg}.${name}`, name, file: f.file, original_file_path: f.original_file_path, line };
        macros.set(macro.unique_id, macro);
      }
    }
  };
  loadMacros('dbt', options.builtinMacros ?? [], (f) => f.original_file_path);
  for (const p of options.packages ?? []) loadMacros(p.config.name, p.macros, shown);
  loadMacros(config.name, files.macros, (f) => f.original_file_path);

  const nodes = new Map<string, ExecutableNode>();
  const byName = new Map<string, ModelNode | SeedNode>();
  const disabled = new Set<string>();
  const sources = new Map<string, SourceNode>();
  /**
   * dbt's naming: the node's database, schema and alias come from generate_database_name /
   * generate_schema_name / generate_alias_name (the project's or a package's, else dbt's default
   * in the engine), called with its custom `database` / `schema` / `alias` config. The default
   * schema stays `undefined` (the resolver's default schema). MySQL has no database above the
   * schema: a database other than the target's (`target.database`, the target schema) is refused.
   */
  const named = (node: ModelNode | SeedNode): ModelNode | SeedNode | undefined => {
    const custom = (node.config.schema as string | undefined) ?? null;
    const where = `generate_schema_name for ${node.original_file_path}`;
    const customDatabase = node.config.database === undefined || node.config.database === null ? null : String(node.config.database);
    const database = catchTemplate(problems, () =>
      engine.callMacro(
        'generate_database_name',
        [customDatabase, node],
        `generate_database_name for ${node.original_file_path}`,
        config.schema,
      ),
    );
    const schema = catchTemplate(problems, () => engine.callMacro('generate_schema_name', [custom, node], where, config.schema));
    const alias = catchTemplate(problems, () =>
      engine.callMacro('generate_alias_name', [(node.config.alias as string | undefined) ?? null, node], where, config.schema),
    );
    if (database === undefined || schema === undefined || alias === undefined) return undefined;
    // Nothing (or None) is no database; the target's is the only one there is.
    if (database !== '' && database !== 'None' && database !== config.schema) {
      const kind = node.resource_type === 'model' && node.config.materialized === 'snapshot' ? 'snapshot' : node.resource_type;
      problems.push({
        message: `${kind} ${node.name} (${node.original_file_path}) resolves to the database '${database}', but MySQL and MariaDB have no database above the schema (the target's is '${config.schema}'). To fix this, remove its database config (use schema to place it) or make generate_database_name return target.database.`,
        location: node.location,
      });
      return undefined;
    }
    if (!schema || !alias) {
      problems.push({
        message: `generate_${!schema ? 'schema' : 'alias'}_name returned nothing for ${node.original_file_path}. To fix this, make the macro return a name for every node.`,
        location: node.location,
      });
      return undefined;
    }
    return { ...node, schema: custom === null && schema === config.schema ? undefined : schema, alias };
  };
  const addNamed = (built: ModelNode | SeedNode | 'disabled' | undefined, name: string) => {
    if (built === 'disabled') return void disabled.add(name);
    if (!built) return;
    const node = named(built);
    if (!node) return;
    const other = byName.get(node.name);
    if (other) {
      return void problems.push({
        message: `two nodes are named '${node.name}': ${other.original_file_path} and ${node.original_file_path}. To fix this, rename one (ref() finds nodes by name).`,
        location: node.location,
      });
    }
    byName.set(node.name, node);
    nodes.set(node.unique_id, node);
  };
  const addTest = (t: TestNode | undefined) => {
    if (!t || !t.config.enabled) return;
    if (nodes.has(t.unique_id))
      return problems.push({ message: `test '${t.name}' is declared twice. To fix this, remove one.`, location: t.location });
    nodes.set(t.unique_id, t);
  };

  for (const pkg of all) {
    const pkgConfig = pkg.config;
    const props = parseProperties(pkg.properties, problems, warnings);
    const describe = (text: string, where: string) => catchTemplate(problems, () => engine.renderText(text, where)) ?? text;
    const ctx: BuildContext = {
      config: pkgConfig,
      rootConfig: config,
      packageName: pkgConfig.name,
      engine,
      problems,
      warnings,
      templates,
      describe,
      columnsOf: (p) =>
        Object.fromEntries(
          (p?.columns ?? []).map((c) => [
            c.name,
            { name: c.name, description: describe(c.description, p!.file), data_type: c.data_type, tags: c.tags, meta: c.meta },
          ]),
        ),
    };
    const modelProps = byNameOnce(props.models, 'model', problems);
    const seedProps = byNameOnce(props.seeds, 'seed', problems);
    const snapshotProps = byNameOnce(props.snapshots, 'snapshot', problems);
    const own: (ModelNode | SeedNode)[] = [];
    const add = (node: ModelNode | SeedNode | 'disabled' | undefined, name: string) => {
      addNamed(node, name);
      if (node && node !== 'disabled') own.push(node);
    };
    for (const f of pkg.models) {
      const name = f.path.replace(/^.*\//, '').replace(/\.sql$/, '');
      add(buildModel(ctx, f, modelProps.get(name)), name);
      modelProps.delete(name);
    }
    // dbt's snapshot fqn: a snapshot file's includes the file's name; a YAML snapshot's does not.
    const snapshotFiles = [
      ...(pkg.snapshots ?? []).map((f) => ({ f, file: [baseNameOf(f.path)] })),
      ...yamlSnapshots(pkg.properties, problems).map((f) => ({ f, file: [] })),
    ];
    for (const { f, file } of snapshotFiles) {
      for (const block of snapshotBlocks(f)) {
        const name = baseNameOf(block.path);
        const fqn = [pkgConfig.name, ...foldersOf(f.path), ...file, name];
        const built = buildModel(ctx, block, snapshotProps.get(name), { tree: 'snapshots', fqn });
        snapshotProps.delete(name);
        const snap = built && built !== 'disabled' ? asSnapshot(built) : built;
        if (snap && snap !== 'disabled' && built && built !== 'disabled') {
          const template = templates.get(built.unique_id);
          templates.delete(built.unique_id);
          if (template) templates.set(snap.unique_id, template);
        }
        add(snap, name);
      }
    }
    for (const f of pkg.seeds) {
      const name = f.path.replace(/^.*\//, '').replace(/\.csv$/, '');
      // A models: entry naming a seed is only a warning in dbt.
      const misplaced = modelProps.get(name);
      if (misplaced) {
        warnings.push({
          message: `'${name}' is described under models:, but it is a seed. To fix this, move the entry under seeds:.`,
          location: misplaced.location,
        });
        modelProps.delete(name);
      }
      add(buildSeed(ctx, f, seedProps.get(name) ?? misplaced), name);
      seedProps.delete(name);
    }
    checkLeftoverProperties(
      { model: modelProps.values(), seed: seedProps.values(), snapshot: snapshotProps.values() },
      own,
      disabled,
      warnings,
    );
    if (pkg !== files) checkConfigTrees(pkgConfig, own, problems, warnings);

    for (const s of props.sources) {
      if (!s.enabled) continue;
      const node = buildSource(ctx, s);
      if (sources.has(node.unique_id)) {
        problems.push({
          message: `source table ${s.sourceName}.${s.name} is declared twice. To fix this, keep one entry.`,
          location: s.location,
        });
      } else sources.set(node.unique_id, node);
    }
    const testCtx = {
      projectName: pkgConfig.name,
      testsTree: pkgConfig.tests,
      locateInConfig: (path: (string | number)[]) => pkgConfig.source.locate(path),
      warnings,
    };
    warnings.push(...testTreeHookWarnings(pkgConfig.tests, testCtx.locateInConfig, 'tests'));
    for (const p of [...props.models, ...props.seeds, ...props.snapshots]) {
      const owner = byName.get(p.name);
      if (!owner) continue;
      const o: TestOwner = { unique_id: owner.unique_id, resource_type: owner.resource_type, name: owner.name };
      for (const spec of [...p.tests, ...p.columns.flatMap((c) => c.tests)]) addTest(buildGenericTest(spec, o, testCtx, problems));
    }
    for (const s of props.sources) {
      const id = `source.${pkgConfig.name}.${s.sourceName}.${s.name}`;
      if (!sources.has(id)) continue;
      const o: TestOwner = { unique_id: id, resource_type: 'source', name: s.name, source_name: s.sourceName };
      for (const spec of [...s.tests, ...s.columns.flatMap((c) => c.tests)]) addTest(buildGenericTest(spec, o, testCtx, problems));
    }
    for (const f of pkg.tests) addTest(buildSingularTest(ctx, f));
  }
  checkRelationClashes([...byName.values()], problems);
  const exposures = new Map<string, ExposureNode>();
  for (const pkg of all) {
    const found = parseExposures(
      pkg.properties,
      pkg.config.name,
      {
        ref: (name) => byName.get(name)?.unique_id,
        source: (source, table) => [...sources.values()].find((x) => x.source_name === source && x.name === table)?.unique_id,
      },
      problems,
    );
    for (const e of found) {
      if (exposures.has(e.unique_id))
        problems.push({ message: `exposure '${e.name}' is declared twice. To fix this, remove one.`, location: e.location });
      exposures.set(e.unique_id, e);
    }
  }
  // The root project's trees may configure any package's nodes (`models: {dbt_utils: ...}`).
  checkConfigTrees(config, [...byName.values()], problems, warnings);

  for (const w of engine.warnings) warnings.push(w);
  const graph = resolveDependencies({ nodes, byName, disabled, sources, macros }, problems);
  if (problems.length > 0) return { problems, warnings };
  engine.setGraph({
    nodes: Object.fromEntries(graph.nodes),
    sources: Object.fromEntries(sources),
    macros: Object.fromEntries(macros),
  });
  const project: Project = {
    config,
    rootDir: files.rootDir,
    name: config.name,
    nodes: graph.nodes,
    sources,
    macros,
    docs,
    parent_map: { ...graph.parent_map, ...Object.fromEntries([...exposures.values()].map((e) => [e.unique_id, e.depends_on.nodes])) },
    child_map: withExposureChildren(graph.child_map, exposures),
    exposures,
    vars,
  };
  return { project, runtime: { engine, templates, warnings }, problems, warnings };
}

/** The child map with each exposure under the nodes it depends on (dbt's child_map has them). */
function withExposureChildren(
  childMap: Readonly<Record<string, readonly string[]>>,
  exposures: ReadonlyMap<string, ExposureNode>,
): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = { ...childMap };
  for (const e of exposures.values()) {
    for (const p of e.depends_on.nodes) out[p] = [...(out[p] ?? []), e.unique_id].sort();
    out[e.unique_id] = [];
  }
  return out;
}

const SNAPSHOT_BLOCK = /\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g;

const baseNameOf = (path: string) => path.replace(/^.*\//, '').replace(/\.sql$/, '');

/** The `{% snapshot name %} ... {% endsnapshot %}` blocks of a snapshots/ file, each as a model file of its own. */
function snapshotBlocks(f: TextFile): TextFile[] {
  const dir = f.path.includes('/') ? f.path.replace(/\/[^/]*$/, '/') : '';
  return [...f.text.matchAll(SNAPSHOT_BLOCK)].map((m) => ({ ...f, path: `${dir}${m[1]}.sql`, text: m[2]! }));
}

/**
 * A snapshot: a model node materialized as `snapshot` (snapshot.ts), with dbt's id;
 * `target_schema` / `target_database` are the legacy `schema` / `database`.
 */
function asSnapshot(node: ModelNode): ModelNode {
  const schema = (node.config.target_schema as string | undefined) ?? (node.config.schema as string | undefined);
  const database = node.config.target_database ?? node.config.database;
  const config = {
    ...node.config,
    materialized: 'snapshot' as const,
    ...(schema ? { schema } : {}),
    ...(database !== undefined ? { database } : {}),
  };
  return { ...node, unique_id: `snapshot.${node.package_name}.${node.name}`, config, schema };
}

/**
 * dbt 1.9's YAML snapshots (`snapshots:` in a property file: name, relation, config), each as the
 * snapshot block it stands for. An entry without `relation:` holds the properties of a snapshot
 * defined elsewhere (a `{% snapshot %}` file): parsed with the other properties.
 */
function yamlSnapshots(files: readonly TextFile[], problems: Problem[]): TextFile[] {
  const out: TextFile[] = [];
  for (const f of files) {
    if (!/^snapshots\s*:/m.test(f.text)) continue;
    let src;
    try {
      src = parseYaml(f.text, f.original_file_path);
    } catch {
      continue; // reported by the properties parser
    }
    const list = (src.value as { snapshots?: unknown } | null)?.snapshots;
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      const e = (raw ?? {}) as { name?: unknown; relation?: unknown; config?: unknown };
      if (e.relation === undefined) return;
      const relation = typeof e.relation === 'string' ? e.relation.trim().replace(/^\{\{\s*|\s*\}\}$/g, '') : '';
      if (typeof e.name !== 'string' || !/^\w+$/.test(e.name) || !/^(ref|source)\(/.test(relation)) {
        problems.push({
          message: `snapshot in ${f.original_file_path}: needs a name: and a relation: (ref('model') or source('source', 'table')). To fix this, add them.`,
          location: src.locate(['snapshots', i]),
        });
        return;
      }
      // config() as keyword arguments (JSON values are Jinja literals).
      const entries = Object.entries((e.config ?? {}) as Record<string, unknown>).filter(([k]) => /^\w+$/.test(k));
      const config = entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
      const text = `{% snapshot ${e.name} %}{{ config(${config}) }}\nselect * from {{ ${relation} }}\n{% endsnapshot %}`;
      out.push({ ...f, text });
    });
  }
  return out;
}
