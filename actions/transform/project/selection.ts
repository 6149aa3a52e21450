/**
 * Node selection as dbt users write it: `--select "a b"` is a union, `a,b` an intersection;
 * each criterion is a name (or fqn with dots, or glob), `+name` (ancestors), `name+`
 * (descendants), `2+name`, `name+1`, `@name`, or a method: `tag:`, `path:`, `source:`,
 * `resource_type:`, `fqn:`, `config.materialized:`, `exposure:` (with `+`: what it reads),
 * `state:modified`/`state:new` (against the
 * manifest given with --state). Tests follow the nodes they test (dbt's eager indirect selection).
 * https://docs.getdbt.com/reference/node-selection/syntax
 */
import { UsageError } from '../../platform/errors.ts';
import type { Manifest } from './artifacts.ts';
import { didYouMean } from './graph.ts';
import type { GraphNode, Project } from './types.ts';

export interface SelectOptions {
  select?: string;
  exclude?: string;
  /** The previous manifest, for state:modified / state:new. */
  state?: Manifest;
  /** Tests of selected nodes join the selection: `eager` (any parent selected, dbt's default) or `none`. */
  indirect?: 'eager' | 'none';
}

export interface Selection {
  /** Selected unique_ids (models, seeds, tests, sources), in a stable order. */
  readonly ids: readonly string[];
  /** Criteria that matched nothing (dbt warns rather than fails). */
  readonly warnings: readonly string[];
}

const METHODS = ['tag', 'path', 'source', 'resource_type', 'fqn', 'state', 'config.materialized', 'test_name', 'test_type', 'exposure'];

/** dbt's resource type of a node: a snapshot is a model node materialized as `snapshot` here. */
export function dbtResourceType(n: GraphNode): string {
  return n.resource_type === 'model' && n.config.materialized === 'snapshot' ? 'snapshot' : n.resource_type;
}

function allNodes(project: Project): Map<string, GraphNode> {
  const m = new Map<string, GraphNode>();
  for (const [id, n] of project.nodes) m.set(id, n);
  for (const [id, s] of project.sources) m.set(id, s);
  return m;
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function matchFqn(fqn: readonly string[], value: string): boolean {
  const parts = value.split('.').map(glob);
  const tryFrom = (start: number) => parts.length <= fqn.length - start && parts.every((re, i) => re.test(fqn[start + i]!));
  // `name` matches the last part; dotted values match a prefix of the fqn (with or without the project).
  if (parts.length === 1) return parts[0]!.test(fqn[fqn.length - 1]!) || parts[0]!.source === `^${fqn[0]}$`;
  return tryFrom(0) || tryFrom(1);
}

function walk(start: Iterable<string>, map: Readonly<Record<string, readonly string[]>>, depth: number): Set<string> {
  const out = new Set<string>();
  let frontier = [...start];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const id of frontier)
      for (const p of map[id] ?? [])
        if (!out.has(p)) {
          out.add(p);
          next.push(p);
        }
    frontier = next;
  }
  return out;
}

function isModified(node: GraphNode, state: Manifest, kind: 'modified' | 'new'): boolean {
  const old = node.resource_type === 'source' ? state.sources?.[node.unique_id] : state.nodes?.[node.unique_id];
  if (!old) return true;
  if (kind === 'new') return false;
  if (node.resource_type === 'source') {
    // dbt's manifest has no checksum for a source: as dbt, compare what defines it (identifier,
    // loaded_at_field, freshness, config).
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const f = node.freshness;
    const freshness = f ? { warn_after: f.warn_after ?? null, error_after: f.error_after ?? null, filter: f.filter ?? null } : null;
    return !(
      same(old.identifier, node.identifier) &&
      same(old.loaded_at_field, node.loaded_at_field) &&
      same(old.freshness, freshness) &&
      same(old.config, node.config)
    );
  }
  const oldSum = (old.checksum as { checksum?: string } | undefined)?.checksum;
  return oldSum !== node.checksum.checksum;
}

function matchAtom(project: Project, nodes: Map<string, GraphNode>, atom: string, o: SelectOptions): Set<string> {
  const m = /^(@)?(?:(\d*)\+)?(.*?)(?:\+(\d*))?$/.exec(atom)!;
  const [, at, upRaw, body, downRaw] = m;
  const up = upRaw === undefined ? 0 : upRaw === '' ? Infinity : Number(upRaw);
  const down = downRaw === undefined ? 0 : downRaw === '' ? Infinity : Number(downRaw);
  const colon = body!.lastIndexOf(':');
  const method = colon > 0 && METHODS.includes(body!.slice(0, colon)) ? body!.slice(0, colon) : undefined;
  const value = method ? body!.slice(colon + 1) : body!;
  if (colon > 0 && !method && !body!.includes('/')) {
    throw new UsageError(`selector method '${body!.slice(0, colon)}:' is not known. Known methods: ${METHODS.join(', ')}.`);
  }
  const base = new Set<string>();
  const relPath = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');
  // exposure:name — the exposure itself is no node: its parents are what `+exposure:name` selects.
  if (method === 'exposure') for (const e of project.exposures?.values() ?? []) if (glob(value).test(e.name)) base.add(e.unique_id);
  for (const [id, n] of nodes) {
    let hit = false;
    switch (method) {
      case undefined:
        hit =
          value.includes('/') || value.endsWith('.sql') || value.endsWith('.csv')
            ? n.original_file_path === relPath(value) || n.original_file_path.startsWith(relPath(value) + '/')
            : n.resource_type !== 'source' && (glob(value).test(n.name) || matchFqn(n.fqn, value));
        break;
      case 'tag':
        hit = n.tags.some((t) => glob(value).test(t));
        break;
      case 'path':
        hit =
          n.original_file_path === relPath(value) ||
          n.original_file_path.startsWith(relPath(value) + '/') ||
          glob(relPath(value)).test(n.original_file_path);
        break;
      case 'source': {
        const [src, table] = value.split('.');
        hit = n.resource_type === 'source' && glob(src!).test(n.source_name) && (table === undefined || glob(table).test(n.name));
        break;
      }
      case 'resource_type':
        hit = dbtResourceType(n) === value;
        break;
      case 'fqn':
        hit = matchFqn(n.fqn, value);
        break;
      case 'config.materialized':
        hit = n.resource_type === 'model' && n.config.materialized === value;
        break;
      case 'test_name':
        hit = n.resource_type === 'test' && glob(value).test(n.test_metadata?.name ?? n.name);
        break;
      case 'test_type':
        hit = n.resource_type === 'test' && (value === 'generic' || value === 'data' ? n.kind === 'generic' : n.kind === 'singular');
        break;
      case 'state': {
        if (!o.state) throw new UsageError(`--select ${atom} needs --state DIR: the target/ of a previous run with its manifest.json.`);
        if (value !== 'modified' && value !== 'new' && !value.startsWith('modified.')) {
          throw new UsageError(`state:${value} is not known: use state:modified or state:new.`);
        }
        hit = isModified(n, o.state, value === 'new' ? 'new' : 'modified');
        break;
      }
    }
    if (hit) base.add(id);
  }
  const out = new Set(base);
  if (up > 0 || at) for (const id of walk(base, project.parent_map, at ? 0 : up)) out.add(id);
  if (down > 0 || at) {
    const desc = walk(base, project.child_map, at ? Infinity : down);
    for (const id of desc) out.add(id);
    if (at) for (const id of walk(desc, project.parent_map, Infinity)) out.add(id);
  }
  return out;
}

function evaluate(project: Project, nodes: Map<string, GraphNode>, spec: string, o: SelectOptions, warnings: string[]): Set<string> {
  const union = new Set<string>();
  for (const term of spec.split(/\s+/).filter(Boolean)) {
    let acc: Set<string> | undefined;
    for (const atom of term.split(',').filter(Boolean)) {
      const hit = matchAtom(project, nodes, atom, o);
      if (hit.size === 0) {
        const names = [...nodes.values()].filter((n) => n.resource_type !== 'source').map((n) => n.name);
        warnings.push(`the selection criterion '${atom}' matches no node.${didYouMean(atom.replace(/^\d*\+|\+\d*$/g, ''), names)}`);
      }
      acc = acc ? new Set([...acc].filter((id) => hit.has(id))) : hit;
    }
    for (const id of acc ?? []) union.add(id);
  }
  return union;
}

export function selectNodes(project: Project, o: SelectOptions = {}): Selection {
  const nodes = allNodes(project);
  const warnings: string[] = [];
  const chosen = o.select && o.select.trim() ? evaluate(project, nodes, o.select, o, warnings) : new Set(nodes.keys());
  if (o.select && o.select.trim() && (o.indirect ?? 'eager') === 'eager') {
    for (const [id, n] of project.nodes) {
      if (n.resource_type === 'test' && n.depends_on.nodes.some((p) => chosen.has(p) && nodes.get(p)?.resource_type !== 'test'))
        chosen.add(id);
    }
  }
  if (o.exclude && o.exclude.trim()) {
    const excluded = evaluate(project, nodes, o.exclude, { ...o }, warnings);
    for (const id of excluded) chosen.delete(id);
  }
  const order = [...nodes.keys()].filter((id) => chosen.has(id)).sort();
  return { ids: order, warnings };
}
