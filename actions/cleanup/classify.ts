/**
 * Which schemas the pipeline owns, which pipeline.yml declares legacy, and which are the server's
 * own. Everything else is `unknown`: it needs a person to look at it, and cleanup never drops it.
 * All pipeline names are physical (with the run's schema prefix), so a prefixed run classifies
 * only its own schemas as active or legacy.
 */
import type { ConfigTree, PipelineConfig } from '../platform/config.ts';
import { OLD_SUFFIX, SHADOW_SUFFIX, type Schemas } from '../platform/schemas.ts';

export type SchemaClass = 'active' | 'legacy' | 'unknown' | 'system';

export interface Classification {
  class: SchemaClass;
  /** Why: the role of an active schema, the reason of a legacy one. */
  reason: string;
}

/** The server's own schemas: never touched. */
export const SYSTEM_SCHEMAS = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

export interface Classifier {
  classify(schema: string): Classification;
  /** Physical legacy names with their reasons, as pipeline.yml lists them. */
  readonly legacy: ReadonlyMap<string, string>;
  /** Legacy names that are also active: pipeline.yml contradicts itself; they are treated as active. */
  readonly conflicts: readonly string[];
  /** The run's schema prefix (legacy names in pipeline.yml are written without it). */
  readonly prefix: string;
  /** The physical staging schema: the loaded vendor dump. */
  readonly staging: string;
  /** The logical names of every schema the pipeline uses (staging, models, seeds, meta, audit). */
  readonly logical: readonly string[];
}

/** Every `+schema` (or `schema`) value in a models/seeds config tree. */
export function customSchemas(tree: ConfigTree): string[] {
  const found: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if ((key === '+schema' || key === 'schema') && typeof value === 'string' && value !== '') found.push(value);
      else walk(value);
    }
  };
  walk(tree);
  return found;
}

export function createClassifier(config: Pick<PipelineConfig, 'schema' | 'models' | 'seeds' | 'cleanup'>, schemas: Schemas): Classifier {
  const active = new Map<string, string>();
  const logical = new Set([config.schema, ...customSchemas(config.seeds), ...customSchemas(config.models)]);
  for (const physical of [schemas.staging, schemas.defaultSchema, schemas.meta, schemas.audit]) {
    if (physical.startsWith(schemas.prefix)) logical.add(physical.slice(schemas.prefix.length));
  }
  const addActive = (name: string, role: string) => {
    if (!active.has(name)) active.set(name, role);
    // Build-beside schemas of a run in progress (or one that crashed) belong to the pipeline too.
    if (!active.has(name + SHADOW_SUFFIX)) active.set(name + SHADOW_SUFFIX, `being built beside ${name}`);
    if (!active.has(name + OLD_SUFFIX)) active.set(name + OLD_SUFFIX, `swapped out of ${name}`);
  };
  addActive(schemas.staging, 'staging: the loaded dump');
  addActive(schemas.defaultSchema, 'default schema of models');
  addActive(schemas.physical(config.schema), 'default schema of models (pipeline.yml schema)');
  for (const s of customSchemas(config.seeds)) addActive(schemas.physical(s), 'seeds');
  for (const s of customSchemas(config.models)) addActive(schemas.physical(s), `models (+schema: ${s})`);
  addActive(schemas.meta, "the pipeline's metadata (runs, content hashes)");
  addActive(schemas.audit, 'stored test failures');

  const legacy = new Map<string, string>();
  const conflicts: string[] = [];
  for (const [name, reason] of Object.entries(config.cleanup.legacy)) {
    const physical = schemas.prefix + name;
    if (active.has(physical) || SYSTEM_SCHEMAS.has(physical.toLowerCase())) conflicts.push(physical);
    else legacy.set(physical, reason);
  }
  return {
    legacy,
    conflicts,
    prefix: schemas.prefix,
    staging: schemas.staging,
    logical: [...logical],
    classify(schema) {
      if (SYSTEM_SCHEMAS.has(schema.toLowerCase())) return { class: 'system', reason: "the server's own schema" };
      const role = active.get(schema);
      if (role !== undefined) {
        const note = conflicts.includes(schema) ? ' (also listed in cleanup.legacy: ignored)' : '';
        return { class: 'active', reason: role + note };
      }
      const reason = legacy.get(schema);
      if (reason !== undefined) return { class: 'legacy', reason };
      return { class: 'unknown', reason: 'not used by this pipeline nor listed in cleanup.legacy: needs investigation' };
    },
  };
}
