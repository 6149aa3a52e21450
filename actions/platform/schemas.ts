/**
 * Schema names. Every schema a run touches goes through `physical`, which adds the schema prefix
 * (`--schema-prefix` / PIPELINE_SCHEMA_PREFIX), so tests, pull-request checks and experiments run
 * whole pipelines side by side on one server. Shadow names for write-audit-publish live here too.
 */
import { UsageError } from './errors.ts';
import type { PipelineConfig } from './config.ts';

/** MySQL's limit on a schema name. */
const MAX_SCHEMA_NAME = 64;
export const SHADOW_SUFFIX = '__shadow';
export const OLD_SUFFIX = '__old';
const PREFIX_PATTERN = /^[A-Za-z0-9_]{0,24}$/;

export interface Schemas {
  readonly prefix: string;
  /** The schema a logical name (from pipeline.yml or a model's config) maps to on the server. */
  physical(logical: string): string;
  /** Where a run builds the next version of a schema before publishing it. */
  shadow(logical: string): string;
  /** Where published tables go for the instant of a swap, before they are dropped. */
  old(logical: string): string;
  readonly staging: string;
  readonly meta: string;
  readonly audit: string;
  /** Default schema of models: the database of DATABASE_URL if it names one, else pipeline.yml's `schema`. */
  readonly defaultSchema: string;
}

export function validatePrefix(prefix: string): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new UsageError(
      `schema prefix '${prefix}' is not valid: use at most 24 letters, digits or underscores (for example --schema-prefix dev_alice_)`,
    );
  }
  return prefix;
}

export function createSchemas(
  config: Pick<PipelineConfig, 'schema' | 'staging' | 'metaSchema' | 'auditSchema'>,
  prefix = '',
  urlDatabase?: string,
): Schemas {
  validatePrefix(prefix);
  const physical = (logical: string) => {
    const name = prefix + logical;
    if (name.length + SHADOW_SUFFIX.length > MAX_SCHEMA_NAME) {
      throw new UsageError(
        `schema name '${name}' is too long with its shadow suffix (MySQL allows ${MAX_SCHEMA_NAME} characters). To fix this, ` +
          `use a shorter --schema-prefix or schema name in pipeline.yml.`,
      );
    }
    return name;
  };
  return Object.freeze({
    prefix,
    physical,
    shadow: (logical: string) => physical(logical) + SHADOW_SUFFIX,
    old: (logical: string) => physical(logical) + OLD_SUFFIX,
    staging: physical(config.staging.schema),
    meta: physical(config.metaSchema),
    audit: physical(config.auditSchema),
    defaultSchema: physical(urlDatabase ?? config.schema),
  });
}
