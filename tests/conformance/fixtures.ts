/**
 * Where the conformance suites find the reference material that is not part of this repository:
 * `../shared/` beside the project (or PIPELINE_SHARED_DIR). A suite whose fixture is missing skips
 * with the path it looked at, and `npm run conformance` lists every missing one up front.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(process.env.PIPELINE_SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared'));

/** Every fixture a conformance suite reads, relative to SHARED_DIR. */
export const FIXTURES = {
  mysql8Dumps: 'testdata/mysql8-dumps',
  japaneseDump: 'testdata/mysql8-dumps/12-japanese-mydb.sql',
  dbtUtils: 'testdata/dbt-packages/dbt-utils',
  dbtSchemas: 'reference/dbt-schemas',
} as const;

/** The absolute path of a fixture, or undefined when it is not there. */
export function sharedFixture(relative: string): string | undefined {
  const path = join(SHARED_DIR, relative);
  return existsSync(path) ? path : undefined;
}

/** The fixtures that are missing, as lines to print. */
export function missingFixtures(): string[] {
  return Object.values(FIXTURES)
    .filter((rel) => sharedFixture(rel) === undefined)
    .map((rel) => join(SHARED_DIR, rel));
}
