/** A small project directory for cleanup tests: the warehouse's schemas and a few legacy ones. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PIPELINE_YML = `name: tokyobeta
schema: tokyobeta
staging:
  schema: staging
models:
  tokyobeta:
    silver:
      +schema: silver
    gold:
      +schema: gold
seeds:
  tokyobeta:
    +schema: seeds
cleanup:
  legacy:
    basis: "Vendor artifact: every table empty"
    _gold: "Left by the old dbt schema-naming bug"
    analytics: "Superseded by gold"
    absent_one: "Listed but already gone"
`;

export function makeProject(yml = PIPELINE_YML): string {
  const dir = mkdtempSync(join(tmpdir(), 'cleanup-project-'));
  writeFileSync(join(dir, 'pipeline.yml'), yml);
  return dir;
}
