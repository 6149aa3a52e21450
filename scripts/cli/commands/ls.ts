/**
 * `pipeline ls`: dbt's `ls`/`list`. --resource-type restricts the types (dbt's values; `default`
 * and `all` too), --output is dbt's `selector` / `name` / `path` / `json` (or `text`, this CLI's
 * table of type, materialization and node, the default), and json prints each node as in the
 * manifest, limited to dbt's default keys or to --output-keys.
 * https://docs.getdbt.com/reference/commands/list
 */
import { UsageError } from '../../../actions/platform/errors.ts';
import { buildManifest } from '../../../actions/transform/project/artifacts.ts';
import { publishedResolver } from '../../../actions/transform/project/resolver.ts';
import { dbtResourceType } from '../../../actions/transform/project/selection.ts';
import type { GraphNode } from '../../../actions/transform/project/types.ts';
import type { CommandDef } from '../command.ts';
import { loadProject, readModelOptions, selectFor } from './model-options.ts';
import { SELECTION_OPTIONS } from './selection-options.ts';

/** dbt's resource types for --resource-type; those this engine has no node of list nothing. */
const RESOURCE_TYPES = [
  'model',
  'semantic_model',
  'source',
  'seed',
  'snapshot',
  'metric',
  'test',
  'exposure',
  'analysis',
  'default',
  'all',
];
const OUTPUTS = ['text', 'selector', 'name', 'path', 'json'];
/** dbt's keys of `ls --output json` when --output-keys is not given (dbt's ListTask). */
const DEFAULT_KEYS = [
  'alias',
  'name',
  'package_name',
  'depends_on',
  'tags',
  'config',
  'resource_type',
  'source_name',
  'original_file_path',
  'unique_id',
];

function kindOf(n: GraphNode): string {
  if (n.resource_type === 'model') return n.config.materialized;
  if (n.resource_type === 'seed') return 'seed';
  if (n.resource_type === 'test') return n.kind === 'generic' ? `test:${n.test_metadata?.name}` : 'test:singular';
  return 'source';
}

/** The types a --resource-type list keeps: `default` is every type but analysis; `all` every type. */
export function resourceTypes(values: readonly string[]): Set<string> | undefined {
  if (values.length === 0) return undefined;
  const unknown = values.filter((v) => !RESOURCE_TYPES.includes(v));
  if (unknown.length > 0) {
    throw new UsageError(
      `--resource-type ${unknown.join(', ')} is not one of: ${RESOURCE_TYPES.join(', ')}. To fix this, use one of those.`,
    );
  }
  if (values.includes('all')) return undefined;
  const out = new Set(values.filter((v) => v !== 'default'));
  if (values.includes('default')) for (const t of RESOURCE_TYPES) if (t !== 'analysis' && t !== 'default' && t !== 'all') out.add(t);
  return out;
}

const split = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((s) => String(s).split(/[\s,]+/)).filter((s) => s !== '');

export const lsCommand: CommandDef = {
  name: 'ls',
  options: {
    ...SELECTION_OPTIONS,
    'resource-type': { type: 'string', value: 'TYPE', multiple: true, help: `only these types (repeatable): ${RESOURCE_TYPES.join(', ')}` },
    output: { type: 'string', value: 'FORMAT', help: 'text (default), selector, name, path or json, as dbt' },
    'output-keys': {
      type: 'string',
      value: 'KEYS',
      multiple: true,
      help: 'with --output json: the keys to print (space or comma separated)',
    },
  },
  async run(ctx, options) {
    const format = (options.output as string | undefined) ?? 'text';
    if (!OUTPUTS.includes(format)) throw new UsageError(`--output '${format}' is not one of: ${OUTPUTS.join(', ')}`);
    const types = resourceTypes(split(options['resource-type']));
    const keys = split(options['output-keys']);
    if (keys.length > 0 && format !== 'json')
      throw new UsageError('--output-keys goes with --output json. To fix this, add --output json.');
    const o = readModelOptions(options);
    const project = loadProject(ctx, o);
    const selection = selectFor(ctx, project, o);
    const resolver = publishedResolver(ctx.schemas());
    const nodes = selection.ids
      .map((id) => (project.nodes.get(id) ?? project.sources.get(id))!)
      .filter((n) => types === undefined || types.has(dbtResourceType(n)));
    if (format === 'json') {
      const manifest = buildManifest(project, { resolver });
      const wanted = keys.length > 0 ? keys : DEFAULT_KEYS;
      for (const n of nodes) {
        const entry = (manifest.nodes[n.unique_id] ?? manifest.sources[n.unique_id]) as Record<string, unknown>;
        ctx.print(JSON.stringify(Object.fromEntries(wanted.filter((k) => k in entry).map((k) => [k, entry[k]]))));
      }
      return 0;
    }
    // dbt's selector: the fqn, `source:` and the source's name for a source.
    const selector = (n: GraphNode) =>
      n.resource_type === 'source' ? `source:${n.package_name}.${n.source_name}.${n.name}` : n.fqn.join('.');
    const name = (n: GraphNode) => (n.resource_type === 'source' ? `${n.source_name}.${n.name}` : n.name);
    if (format === 'selector') for (const n of nodes) ctx.print(selector(n));
    else if (format === 'name') for (const n of nodes) ctx.print(name(n));
    else if (format === 'path') for (const n of nodes) ctx.print(n.original_file_path);
    else {
      const rows = nodes.map((n) => ({ type: dbtResourceType(n), kind: kindOf(n), id: n.unique_id.split('.').slice(1).join('.') }));
      const w1 = Math.max(4, ...rows.map((r) => r.type.length));
      const w2 = Math.max(4, ...rows.map((r) => r.kind.length));
      for (const r of rows) ctx.print(`${r.type.padEnd(w1)}  ${r.kind.padEnd(w2)}  ${r.id}`);
    }
    return 0;
  },
};
