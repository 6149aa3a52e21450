/**
 * Reading a project: pipeline.yml (or dbt_project.yml), macros, models, seeds, property files,
 * docs blocks and singular tests become a frozen `Project`. Every problem is collected and
 * reported at once (a ConfigError: exit 2) before anything runs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PipelineConfig } from '../../platform/config.ts';
import { ConfigError, type Location, type Problem } from '../../platform/errors.ts';
import { checkTree, fqnPrefixes, mergeConfig, treeLayers, validateConfigValues, type RawConfig } from './config-tree.ts';
import { readDocs } from './docs.ts';
import { baseName, findFiles, foldersOf } from './files.ts';
import { buildGenericTest, type TestOwner } from './generic-tests.ts';
import { buildMaps, didYouMean, findCycles } from './graph.ts';
import { readProperties, type NodeProps } from './properties.ts';
import { makeRelation } from './resolver.ts';
import { openTemplateCache } from './template-cache.ts';
import { TemplateEngine, TemplateError, type CompiledTemplate } from './templating.ts';
import type {
  ColumnInfo,
  ExecutableNode,
  MacroNode,
  ModelConfig,
  ModelNode,
  Project,
  RefCall,
  SeedConfig,
  SeedNode,
  SourceCall,
  SourceNode,
  TestNode,
} from './types.ts';
import { testConfig } from './generic-tests.ts';
import { rewriteTestBlocks } from '../data-tests/test-macros.ts';

export interface ReadProjectOptions {
  /** Overrides of pipeline.yml's vars (`--vars`). */
  vars?: Readonly<Record<string, unknown>>;
  /** What `env_var()` may read. Default: nothing. */
  envVars?: Readonly<Record<string, string | undefined>>;
  /** `target.schema` in templates. Default: the config's schema. */
  targetSchema?: string;
  /** Where compiled templates are cached between runs (target/template-cache.json). Default: no cache. */
  templateCacheFile?: string;
}

/** What compilation needs besides the Project: the template engine and compiled templates. */
export interface ProjectRuntime {
  readonly engine: TemplateEngine;
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
  /** Non-fatal findings (config paths matching nothing). */
  readonly warnings: readonly Problem[];
}

const runtimes = new WeakMap<Project, ProjectRuntime>();

export function runtimeOf(project: Project): ProjectRuntime {
  const rt = runtimes.get(project);
  if (!rt) throw new Error('internal: project was not read by readProject');
  return rt;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Reads and validates the whole project; throws ConfigError with every problem found. */
export function readProject(rootDir: string, config: PipelineConfig, options: ReadProjectOptions = {}): Project {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const projectName = config.name;
  const vars = Object.freeze({ ...config.vars, ...(options.vars ?? {}) });
  const locateInConfig = (path: (string | number)[]) => config.source.locate(path);

  const docs = readDocs(rootDir, [...config.modelPaths, ...config.seedPaths], problems);
  const cache = options.templateCacheFile ? openTemplateCache(options.templateCacheFile) : undefined;
  const engine = new TemplateEngine({
    cache,
    vars,
    envVars: options.envVars,
    docs: new Map([...docs.values()].map((d) => [d.name, d.block_contents])),
    target: { name: 'default', schema: options.targetSchema ?? config.schema },
  });
  const catchTemplate = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TemplateError) {
        problems.push({ message: err.message, location: err.location });
        return undefined;
      }
      throw err;
    }
  };

  const macros = new Map<string, MacroNode>();
  for (const f of findFiles(rootDir, config.macroPaths, ['.sql', '.jinja'])) {
    // `{% test %}` blocks (custom generic tests) become `test_<name>` macros: see data-tests/test-macros.ts.
    const text = rewriteTestBlocks(readFileSync(f.file, 'utf8'), f.original_file_path).text;
    const names = catchTemplate(() => engine.loadMacros(text, f.original_file_path)) ?? [];
    for (const name of names) {
      const line = text.slice(0, Math.max(0, text.search(new RegExp(`macro\\s+${name}\\b`)))).split('\n').length;
      macros.set(`macro.${projectName}.${name}`, {
        unique_id: `macro.${projectName}.${name}`,
        name,
        file: f.file,
        original_file_path: f.original_file_path,
        line,
      });
    }
  }

  const props = readProperties(findFiles(rootDir, [...config.modelPaths, ...config.seedPaths], ['.yml', '.yaml']), problems);
  const describe = (text: string, where: string) => catchTemplate(() => engine.renderText(text, where)) ?? text;
  const propsByName = (list: NodeProps[], kind: string) => {
    const map = new Map<string, NodeProps>();
    for (const p of list) {
      if (map.has(p.name))
        problems.push({
          message: `${kind} '${p.name}' is described twice (also in ${map.get(p.name)!.file}). To fix this, keep one entry.`,
          location: p.location,
        });
      else map.set(p.name, p);
    }
    return map;
  };
  const modelProps = propsByName(props.models, 'model');
  const seedProps = propsByName(props.seeds, 'seed');
  const columnsOf = (p: NodeProps | undefined): Record<string, ColumnInfo> =>
    Object.fromEntries(
      (p?.columns ?? []).map((c) => [
        c.name,
        { name: c.name, description: describe(c.description, p!.file), data_type: c.data_type, tags: c.tags, meta: c.meta },
      ]),
    );

  const templates = new Map<string, CompiledTemplate>();
  const nodes = new Map<string, ExecutableNode>();
  const byName = new Map<string, ModelNode | SeedNode>();
  const disabled = new Set<string>();
  const addNamed = (node: ModelNode | SeedNode) => {
    const other = byName.get(node.name);
    if (other) {
      problems.push({
        message: `two nodes are named '${node.name}': ${other.original_file_path} and ${node.original_file_path}. To fix this, rename one (ref() finds nodes by name).`,
        location: node.location,
      });
      return;
    }
    byName.set(node.name, node);
    nodes.set(node.unique_id, node);
  };

  // Models.
  const modelFiles = findFiles(rootDir, config.modelPaths, ['.sql']);
  for (const f of modelFiles) {
    const raw_code = readFileSync(f.file, 'utf8');
    const name = baseName(f.path);
    const fqn = [projectName, ...foldersOf(f.path), name];
    const template = catchTemplate(() => engine.compileFile(raw_code, f.original_file_path));
    const captured = { refs: [] as RefCall[], sources: [] as SourceCall[], config: {} as RawConfig };
    if (template) catchTemplate(() => parseRender(engine, template, f.original_file_path, captured));
    const p = modelProps.get(name);
    modelProps.delete(name);
    const layers = treeLayers(config.models, fqn, 'model', locateInConfig, 'models');
    const merged = mergeConfig([{ materialized: 'view' }, ...layers.map((l) => l.values), p?.config ?? {}, captured.config]);
    const where = (key: string): Location | undefined =>
      key in captured.config
        ? { file: f.original_file_path }
        : p && key in p.config
          ? p.configWhere(key)
          : [...layers]
              .reverse()
              .find((l) => key in l.values)
              ?.where(key);
    const found = validateConfigValues('model', merged, where, `model ${name} (${f.original_file_path})`);
    problems.push(...found);
    if (merged.enabled === false) {
      disabled.add(name);
      continue;
    }
    const cfg = { enabled: true, ...merged } as unknown as ModelConfig;
    const node: ModelNode = {
      unique_id: `model.${projectName}.${name}`,
      resource_type: 'model',
      name,
      package_name: projectName,
      original_file_path: f.original_file_path,
      path: f.path,
      fqn,
      tags: cfg.tags,
      description: describe(p?.description ?? '', p?.file ?? f.original_file_path),
      columns: columnsOf(p),
      meta: cfg.meta,
      location: { file: f.original_file_path, line: 1 },
      checksum: { name: 'sha256', checksum: sha256(raw_code + '\0' + stableJson(cfg)) },
      raw_code,
      file: f.file,
      config: cfg,
      schema: (cfg.schema as string | undefined) ?? undefined,
      alias: (cfg.alias as string | undefined) ?? name,
      refs: captured.refs,
      sources: captured.sources,
      depends_on: { nodes: [], macros: [] },
    };
    if (template) templates.set(node.unique_id, template);
    addNamed(node);
  }

  // Seeds.
  for (const f of findFiles(rootDir, config.seedPaths, ['.csv'])) {
    const bytes = readFileSync(f.file);
    const name = baseName(f.path);
    const fqn = [projectName, ...foldersOf(f.path), name];
    const p = seedProps.get(name);
    seedProps.delete(name);
    const layers = treeLayers(config.seeds, fqn, 'seed', locateInConfig, 'seeds');
    const merged = mergeConfig([...layers.map((l) => l.values), p?.config ?? {}]);
    const where = (key: string) =>
      p && key in p.config
        ? p.configWhere(key)
        : [...layers]
            .reverse()
            .find((l) => key in l.values)
            ?.where(key);
    problems.push(...validateConfigValues('seed', merged, where, `seed ${name} (${f.original_file_path})`));
    if (merged.enabled === false) {
      disabled.add(name);
      continue;
    }
    const cfg = { enabled: true, delimiter: ',', column_types: {}, ...merged } as unknown as SeedConfig;
    addNamed({
      unique_id: `seed.${projectName}.${name}`,
      resource_type: 'seed',
      name,
      package_name: projectName,
      original_file_path: f.original_file_path,
      path: f.path,
      fqn,
      tags: cfg.tags,
      description: describe(p?.description ?? '', p?.file ?? f.original_file_path),
      columns: columnsOf(p),
      meta: cfg.meta,
      location: { file: f.original_file_path },
      checksum: { name: 'sha256', checksum: sha256(Buffer.concat([bytes, Buffer.from('\0' + stableJson(cfg))])) },
      file: f.file,
      config: cfg,
      schema: (cfg.schema as string | undefined) ?? undefined,
      alias: (cfg.alias as string | undefined) ?? name,
      depends_on: { nodes: [], macros: [] },
    });
  }

  for (const [kind, left] of [
    ['model', modelProps],
    ['seed', seedProps],
  ] as const) {
    for (const p of left.values()) {
      if (disabled.has(p.name)) continue;
      const known = [...byName.values()].filter((n) => n.resource_type === kind).map((n) => n.name);
      problems.push({
        message: `properties for ${kind} '${p.name}', but the project has no ${kind} of that name.${didYouMean(p.name, known)} To fix this, correct the name or add the ${kind === 'model' ? '.sql' : '.csv'} file.`,
        location: p.location,
      });
    }
  }
  // Two nodes may not land on the same relation (dbt refuses this too): one would overwrite the other.
  const relations = new Map<string, ModelNode | SeedNode>();
  for (const n of byName.values()) {
    if (n.resource_type === 'model' && n.config.materialized === 'ephemeral') continue;
    const key = `${n.schema ?? ''}.${n.alias}`;
    const other = relations.get(key);
    if (other) {
      problems.push({
        message: `${n.resource_type} '${n.name}' and ${other.resource_type} '${other.name}' (${other.original_file_path}) would both build ${n.schema ?? '<default schema>'}.${n.alias}. To fix this, give one another alias or schema.`,
        location: n.location,
      });
    } else relations.set(key, n);
  }
  const allFqns = [...byName.values()].map((n) => n.fqn);
  checkTree(
    config.models,
    'model',
    fqnPrefixes(allFqns.filter((_, i) => [...byName.values()][i]!.resource_type === 'model')),
    locateInConfig,
    'models',
    problems,
    warnings,
  );
  checkTree(
    config.seeds,
    'seed',
    fqnPrefixes(allFqns.filter((_, i) => [...byName.values()][i]!.resource_type === 'seed')),
    locateInConfig,
    'seeds',
    problems,
    warnings,
  );

  // Sources.
  const sources = new Map<string, SourceNode>();
  for (const s of props.sources) {
    if (!s.enabled) continue;
    const unique_id = `source.${projectName}.${s.sourceName}.${s.name}`;
    if (sources.has(unique_id)) {
      problems.push({
        message: `source table ${s.sourceName}.${s.name} is declared twice. To fix this, keep one entry.`,
        location: s.location,
      });
      continue;
    }
    sources.set(unique_id, {
      unique_id,
      resource_type: 'source',
      name: s.name,
      package_name: projectName,
      original_file_path: s.file,
      path: s.file,
      fqn: [projectName, ...foldersOf(s.file).slice(1), s.sourceName, s.name],
      tags: s.tags,
      description: describe(s.description, s.file),
      columns: columnsOf(s),
      meta: s.meta,
      location: s.location,
      checksum: { name: 'sha256', checksum: sha256(stableJson([s.schema, s.identifier, s.columns.map((c) => c.name)])) },
      source_name: s.sourceName,
      source_description: describe(s.sourceDescription, s.file),
      schema: s.schema,
      identifier: s.identifier,
      loaded_at_field: s.loadedAtField,
      freshness: s.freshness,
      config: { enabled: true, tags: s.tags },
    });
  }

  // Generic tests from YAML.
  const testCtx = { projectName, testsTree: config.tests, locateInConfig };
  const addTest = (t: TestNode | undefined) => {
    if (!t || !t.config.enabled) return;
    if (nodes.has(t.unique_id))
      return problems.push({ message: `test '${t.name}' is declared twice. To fix this, remove one.`, location: t.location });
    nodes.set(t.unique_id, t);
  };
  for (const p of props.models.concat(props.seeds)) {
    const owner = byName.get(p.name);
    if (!owner) continue;
    const o: TestOwner = { unique_id: owner.unique_id, resource_type: owner.resource_type, name: owner.name };
    for (const spec of [...p.tests, ...p.columns.flatMap((c) => c.tests)]) addTest(buildGenericTest(spec, o, testCtx, problems));
  }
  for (const s of props.sources) {
    const id = `source.${projectName}.${s.sourceName}.${s.name}`;
    if (!sources.has(id)) continue;
    const o: TestOwner = { unique_id: id, resource_type: 'source', name: s.name, source_name: s.sourceName };
    for (const spec of [...s.tests, ...s.columns.flatMap((c) => c.tests)]) addTest(buildGenericTest(spec, o, testCtx, problems));
  }

  // Singular tests.
  for (const f of findFiles(rootDir, config.testPaths, ['.sql'])) {
    const raw_code = readFileSync(f.file, 'utf8');
    const name = baseName(f.path);
    const template = catchTemplate(() => engine.compileFile(raw_code, f.original_file_path));
    const captured = { refs: [] as RefCall[], sources: [] as SourceCall[], config: {} as RawConfig };
    if (template) catchTemplate(() => parseRender(engine, template, f.original_file_path, captured));
    const fqn = [projectName, ...foldersOf(f.path), name];
    const layers = treeLayers(config.tests, fqn, 'test', locateInConfig, 'tests');
    const merged = mergeConfig([...layers.map((l) => l.values), captured.config]);
    problems.push(...validateConfigValues('test', merged, () => ({ file: f.original_file_path }), `test ${name}`));
    const cfg = testConfig(merged);
    if (!cfg.enabled) continue;
    const unique_id = `test.${projectName}.${name}`;
    addTest({
      unique_id,
      resource_type: 'test',
      kind: 'singular',
      name,
      package_name: projectName,
      original_file_path: f.original_file_path,
      path: f.path,
      fqn,
      tags: cfg.tags,
      description: '',
      columns: {},
      meta: cfg.meta,
      location: { file: f.original_file_path, line: 1 },
      checksum: { name: 'sha256', checksum: sha256(raw_code + '\0' + stableJson(cfg)) },
      config: cfg,
      raw_code,
      file: f.file,
      depends_on: { nodes: [], macros: [] },
      refs: captured.refs,
      sources: captured.sources,
    });
    if (template) templates.set(unique_id, template);
  }

  // Resolve ref()/source() into depends_on.
  const sourceNames = [...sources.values()].map((s) => `${s.source_name}.${s.name}`);
  const dependsOn = new Map<string, string[]>();
  for (const s of sources.keys()) dependsOn.set(s, []);
  for (const node of nodes.values()) {
    const deps: string[] = [...node.depends_on.nodes];
    const refs = node.resource_type === 'model' || node.resource_type === 'test' ? node.refs : [];
    const srcs = node.resource_type === 'model' || node.resource_type === 'test' ? node.sources : [];
    for (const r of refs) {
      const target = byName.get(r.name);
      if (target) deps.push(target.unique_id);
      else {
        const why = disabled.has(r.name) ? ` '${r.name}' is disabled (enabled: false).` : didYouMean(r.name, byName.keys());
        problems.push({
          message: `${node.resource_type} '${node.name}' has ref('${r.name}'), but the project has no model or seed named '${r.name}'.${why} To fix this, correct the name in ${node.original_file_path}.`,
          location: node.location,
        });
      }
    }
    for (const s of srcs) {
      const id = `source.${projectName}.${s.source}.${s.table}`;
      if (sources.has(id)) deps.push(id);
      else {
        problems.push({
          message: `${node.resource_type} '${node.name}' has source('${s.source}', '${s.table}'), but no source table ${s.source}.${s.table} is declared in a .yml file.${didYouMean(`${s.source}.${s.table}`, sourceNames)} To fix this, declare it under sources: or correct the name.`,
          location: node.location,
        });
      }
    }
    const unique = [...new Set(deps)];
    (node.depends_on as unknown as { nodes: string[] }).nodes = unique;
    if (node.resource_type === 'model') {
      (node.depends_on as unknown as { macros: string[] }).macros = [...macros.values()]
        .filter((m) => node.raw_code.includes(m.name))
        .map((m) => m.unique_id);
    }
    dependsOn.set(node.unique_id, unique);
  }
  const { parent_map, child_map } = buildMaps(dependsOn);
  for (const cycle of findCycles(parent_map)) {
    const names = cycle.map((id) => id.split('.').slice(2).join('.'));
    const first = nodes.get(cycle[0]!);
    problems.push({
      message: `the models form a cycle: ${names.join(' -> ')}. To fix this, remove one of these ref() calls (a model cannot depend on itself).`,
      location: first?.location,
    });
  }

  cache?.save();
  if (problems.length > 0) throw new ConfigError(problems);
  const project: Project = {
    config,
    rootDir,
    name: projectName,
    nodes,
    sources,
    macros,
    docs,
    parent_map,
    child_map,
    vars,
  };
  runtimes.set(project, { engine, templates, warnings });
  return project;
}

function parseRender(
  engine: TemplateEngine,
  template: CompiledTemplate,
  name: string,
  captured: { refs: RefCall[]; sources: SourceCall[]; config: RawConfig },
): void {
  engine.render(template, name, {
    ref(refName, pkg) {
      captured.refs.push(pkg ? { name: refName, package: pkg } : { name: refName });
      return makeRelation('__parse__', refName);
    },
    source(source, table) {
      captured.sources.push({ source, table });
      return makeRelation('__parse__', table);
    },
    config(values) {
      Object.assign(captured.config, values);
    },
    isIncremental: () => false,
    this: makeRelation('__parse__', baseName(name)),
  });
}

/** JSON with sorted keys: the same config always hashes the same. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
