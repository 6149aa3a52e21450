/**
 * dbt's exposures: the dashboards, notebooks and applications that read the warehouse, declared
 * in property files (`exposures:`). They build nothing; they are in the manifest (so lineage tools
 * show who reads what) and in the graph, so `--select +exposure:name` selects everything one
 * depends on. `depends_on` lists `ref('model')` / `source('src', 'table')` calls, as in dbt.
 * https://docs.getdbt.com/docs/build/exposures
 */
import type { Location, Problem } from '../../platform/errors.ts';
import { parseYaml } from '../../platform/yaml-source.ts';
import { ConfigError } from '../../platform/errors.ts';
import type { TextFile } from './project-files.ts';

export const EXPOSURE_TYPES = ['dashboard', 'notebook', 'analysis', 'ml', 'application'] as const;

export interface ExposureNode {
  readonly unique_id: string;
  readonly resource_type: 'exposure';
  readonly name: string;
  readonly package_name: string;
  readonly original_file_path: string;
  readonly path: string;
  readonly fqn: readonly string[];
  readonly type: (typeof EXPOSURE_TYPES)[number];
  readonly owner: { readonly name?: string; readonly email?: string };
  readonly description: string;
  readonly label?: string;
  readonly maturity?: string;
  readonly url?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  /** The ref()/source() calls as written. */
  readonly refs: readonly { name: string; package?: string }[];
  readonly sources: readonly [string, string][];
  /** The models, seeds and sources it reads (resolved). */
  readonly depends_on: { readonly nodes: readonly string[] };
  readonly location: Location;
}

const REF = /^\s*ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?\)\s*$/;
const SOURCE = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/;

/**
 * The exposures of one package's property files; `resolve` maps a ref name or a source to its
 * unique_id (undefined: unknown, a problem).
 */
export function parseExposures(
  files: readonly TextFile[],
  packageName: string,
  resolve: { ref(name: string): string | undefined; source(source: string, table: string): string | undefined },
  problems: Problem[],
): ExposureNode[] {
  const out: ExposureNode[] = [];
  for (const f of files) {
    let src;
    try {
      src = parseYaml(f.text, f.original_file_path);
    } catch (err) {
      if (err instanceof ConfigError) continue; // reported by the properties parser
      throw err;
    }
    const top = src.value as Record<string, unknown> | null;
    const list = top && typeof top === 'object' && Array.isArray(top.exposures) ? (top.exposures as unknown[]) : [];
    list.forEach((raw, i) => {
      const location = src.locate(['exposures', i]);
      const problem = (message: string) => problems.push({ message: `exposure in ${f.original_file_path}: ${message}`, location });
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return problem('expected a mapping with name:, type:, owner:');
      const e = raw as Record<string, unknown>;
      if (typeof e.name !== 'string' || !/^\w+$/.test(e.name)) return problem('name: must be letters, digits and underscores.');
      if (!EXPOSURE_TYPES.includes(e.type as never))
        return problem(`'${e.name}': type: must be one of ${EXPOSURE_TYPES.join(', ')}. To fix this, set one of them.`);
      const owner = e.owner as Record<string, unknown> | undefined;
      if (!owner || typeof owner !== 'object' || (typeof owner.name !== 'string' && typeof owner.email !== 'string'))
        return problem(`'${e.name}': owner: needs a name: or an email:. To fix this, add who owns it.`);
      const refs: { name: string; package?: string }[] = [];
      const sources: [string, string][] = [];
      const nodes: string[] = [];
      for (const dep of Array.isArray(e.depends_on) ? e.depends_on : []) {
        const text = String(dep);
        const r = REF.exec(text);
        const s = SOURCE.exec(text);
        const id = r ? resolve.ref(r[2] ?? r[1]!) : s ? resolve.source(s[1]!, s[2]!) : undefined;
        if (r) refs.push(r[2] ? { name: r[2], package: r[1] } : { name: r[1]! });
        if (s) sources.push([s[1]!, s[2]!]);
        if (!r && !s) problem(`'${e.name}': depends_on '${text}' is not ref('model') or source('source', 'table').`);
        else if (!id) problem(`'${e.name}': depends_on ${text.trim()} names nothing in the project. To fix this, correct the name.`);
        else nodes.push(id);
      }
      out.push({
        unique_id: `exposure.${packageName}.${e.name}`,
        resource_type: 'exposure',
        name: e.name,
        package_name: packageName,
        original_file_path: f.original_file_path,
        path: f.path,
        fqn: [packageName, ...f.path.split('/').slice(0, -1), e.name],
        type: e.type as ExposureNode['type'],
        owner: { name: owner.name as string | undefined, email: owner.email as string | undefined },
        description: typeof e.description === 'string' ? e.description : '',
        label: typeof e.label === 'string' ? e.label : undefined,
        maturity: typeof e.maturity === 'string' ? e.maturity : undefined,
        url: typeof e.url === 'string' ? e.url : undefined,
        tags: Array.isArray(e.tags) ? e.tags.map(String) : typeof e.tags === 'string' ? [e.tags] : [],
        meta: e.meta && typeof e.meta === 'object' ? (e.meta as Record<string, unknown>) : {},
        refs,
        sources,
        depends_on: { nodes: [...new Set(nodes)] },
        location,
      });
    });
  }
  return out;
}

/** The exposure as dbt's manifest writes it (`exposures` section). */
export function exposureEntry(e: ExposureNode): Record<string, unknown> {
  return {
    name: e.name,
    resource_type: 'exposure',
    package_name: e.package_name,
    path: e.path,
    original_file_path: e.original_file_path,
    unique_id: e.unique_id,
    fqn: e.fqn,
    type: e.type,
    owner: { name: e.owner.name ?? null, email: e.owner.email ?? null },
    description: e.description,
    label: e.label ?? null,
    maturity: e.maturity ?? null,
    meta: e.meta,
    tags: e.tags,
    config: { enabled: true, tags: e.tags, meta: e.meta },
    unrendered_config: {},
    url: e.url ?? null,
    depends_on: { macros: [], nodes: e.depends_on.nodes },
    refs: e.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: null })),
    sources: e.sources,
    metrics: [],
  };
}
