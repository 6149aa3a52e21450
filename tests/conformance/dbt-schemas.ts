/**
 * Validating an artifact against dbt's published JSON Schema (../shared/reference/dbt-schemas/).
 * manifest v12 and run_results v6 are JSON Schema 2020-12, sources v3 and catalog v1 draft-07:
 * ajv has a class for each.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft7 from 'ajv';
import addFormats from 'ajv-formats';
import { FIXTURES, sharedFixture } from './fixtures.ts';

export const SCHEMAS = sharedFixture(FIXTURES.dbtSchemas);

type Validator = { errors?: unknown[] | null } & ((data: unknown) => boolean);

function validator(file: string): Validator {
  const schema = JSON.parse(readFileSync(join(SCHEMAS!, file), 'utf8')) as { $schema?: string };
  const is2020 = schema.$schema?.includes('2020-12') ?? false;
  // strict: false — dbt's schemas carry keywords (title, description, defaults) ajv's strict mode flags.
  const ajv = is2020 ? new Ajv2020.default({ strict: false, allErrors: true }) : new AjvDraft7.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema) as Validator;
}

/** Fails with the first errors ajv found when `artifact` does not validate against `file`. */
export function assertValid(file: string, artifact: unknown): void {
  const validate = validator(file);
  const ok = validate(artifact);
  assert.ok(ok, `${file}: ${JSON.stringify((validate.errors ?? []).slice(0, 8), null, 1)}`);
}
