/**
 * What most likely made a schema, told by names alone (pure; evidence.ts reads the names):
 * - dbt's `--store-failures` writes one table per failing test, named after the test
 *   (`not_null_<model>_<column>`, `unique_...`, `accepted_values_...`, `relationships_...`, a
 *   package's tests as `dbt_utils_...`, sources' tests as `source_...`), into
 *   `<target schema>_dbt_test__audit` unless configured otherwise
 *   (https://docs.getdbt.com/reference/resource-configs/store_failures);
 * - backups carry `_bak`, `_backup`, `_old`, `_copy` or a date at the end of their name (the
 *   schema's, or most of its tables');
 * - this pipeline builds beside a schema in `<schema>__shadow` and swaps out into `<schema>__old`
 *   (platform/schemas.ts): one that is not this run's own is left by an interrupted run, of
 *   another schema prefix (a pull request's, a developer's) or of a schema no longer configured;
 * - a copy of the vendor database has the staging schema's table names.
 */
import { OLD_SUFFIX, SHADOW_SUFFIX } from '../platform/schemas.ts';

export type Origin =
  | { kind: 'store-failures'; testTables: number; tables: number; auditName: boolean; byTest: Record<string, number> }
  | { kind: 'pipeline-leftover'; suffix: string; base: string; prefix?: string; logical?: string }
  | { kind: 'backup'; base: string; baseExists: boolean; suffix: string; date?: string }
  | { kind: 'backup-tables'; backupTables: number; tables: number; examples: string[] }
  | { kind: 'vendor-copy'; matched: number; stagingTables: number; tables: number };

/** Test names of dbt's generic tests and of the common packages, as store_failures names tables. */
const TEST_TABLE = /^(?:source_)?(not_null|unique|accepted_values|relationships|dbt_utils|dbt_expectations|audit_helper|elementary)_./i;
const AUDIT_SCHEMA = /(?:^|_)dbt_test__audit$/i;
const BACKUP_SUFFIX = /^(.+?)_(bak|backup|old|copy)(\d*)$/i;
const DATE_SUFFIX = /^(.+?)_((?:19|20)\d\d)[-_]?(0[1-9]|1[0-2])[-_]?([0-3]\d)(?:T?\d{4,6}Z?)?$/i;

export interface OriginFacts {
  schema: string;
  tables: string[];
  /** Every schema on the server. */
  schemas: ReadonlySet<string>;
  /** Table names of the active staging schema (empty when it is not on the server). */
  stagingTables: ReadonlySet<string>;
  /** Logical names of the pipeline's schemas. */
  logical: readonly string[];
}

/** Every origin the names support, the most telling first. */
export function findOrigins(f: OriginFacts): Origin[] {
  const found: Origin[] = [];
  for (const suffix of [SHADOW_SUFFIX, OLD_SUFFIX]) {
    if (!f.schema.endsWith(suffix) || f.schema.length === suffix.length) continue;
    const base = f.schema.slice(0, -suffix.length);
    const logical = [...f.logical].sort((a, b) => b.length - a.length).find((l) => base.endsWith(l));
    found.push({
      kind: 'pipeline-leftover',
      suffix,
      base,
      logical,
      prefix: logical === undefined ? undefined : base.slice(0, -logical.length),
    });
  }
  const byTest: Record<string, number> = {};
  let testTables = 0;
  for (const t of f.tables) {
    const m = TEST_TABLE.exec(t);
    if (!m) continue;
    testTables++;
    const name = m[1]!.toLowerCase();
    byTest[name] = (byTest[name] ?? 0) + 1;
  }
  const auditName = AUDIT_SCHEMA.test(f.schema);
  if (auditName || (testTables > 0 && testTables * 2 >= f.tables.length)) {
    found.push({ kind: 'store-failures', testTables, tables: f.tables.length, auditName, byTest });
  }
  if (!found.some((o) => o.kind === 'pipeline-leftover')) {
    const date = DATE_SUFFIX.exec(f.schema);
    const named = BACKUP_SUFFIX.exec(f.schema);
    if (date) {
      const base = date[1]!;
      found.push({
        kind: 'backup',
        base,
        baseExists: f.schemas.has(base),
        suffix: f.schema.slice(base.length),
        date: `${date[2]}-${date[3]}-${date[4]}`,
      });
    } else if (named) {
      const base = named[1]!;
      found.push({ kind: 'backup', base, baseExists: f.schemas.has(base), suffix: f.schema.slice(base.length) });
    }
  }
  const backupTables = f.tables.filter((t) => BACKUP_SUFFIX.test(t) || DATE_SUFFIX.test(t));
  if (!found.some((o) => o.kind === 'backup') && backupTables.length > 0 && backupTables.length * 2 >= f.tables.length) {
    found.push({ kind: 'backup-tables', backupTables: backupTables.length, tables: f.tables.length, examples: backupTables.slice(0, 3) });
  }
  if (f.stagingTables.size > 0) {
    const matched = f.tables.filter((t) => f.stagingTables.has(t)).length;
    if (matched >= Math.min(3, f.stagingTables.size) && matched * 2 >= f.tables.length) {
      found.push({ kind: 'vendor-copy', matched, stagingTables: f.stagingTables.size, tables: f.tables.length });
    }
  }
  return found;
}

/** One line per origin, for people. */
export function describeOrigin(o: Origin): string {
  switch (o.kind) {
    case 'store-failures': {
      const tests = Object.entries(o.byTest)
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${t}_* ${n}`)
        .join(', ');
      const tables = o.testTables ? `${o.testTables} of ${o.tables} tables are named as dbt tests (${tests})` : '';
      const name = o.auditName ? "its name is dbt's default store_failures schema `<schema>_dbt_test__audit`" : '';
      return `dbt \`--store-failures\` output: ${[name, tables].filter(Boolean).join('; ')}`;
    }
    case 'pipeline-leftover':
      return o.prefix !== undefined
        ? `left by an interrupted run of this pipeline: \`${o.base}\` (${o.logical}${o.prefix ? ` with schema prefix \`${o.prefix}\`` : ''}) was being ${o.suffix === SHADOW_SUFFIX ? 'built beside' : 'swapped out'} as \`${o.base}${o.suffix}\`; the next run with that prefix removes it`
        : `left by an interrupted run of this pipeline (the \`${o.suffix}\` suffix) for \`${o.base}\`, a schema pipeline.yml no longer names`;
    case 'backup':
      return `a backup of \`${o.base}\` (name ends with \`${o.suffix}\`${o.date ? `, dated ${o.date}` : ''}); \`${o.base}\` ${o.baseExists ? 'is on the server' : 'is not on the server'}`;
    case 'backup-tables':
      return `backup tables: ${o.backupTables} of ${o.tables} tables are named as backups (${o.examples.map((t) => `\`${t}\``).join(', ')}${o.backupTables > o.examples.length ? ', ...' : ''})`;
    case 'vendor-copy':
      return `a copy of the vendor database: ${o.matched} of the ${o.stagingTables} staging tables by name (${o.tables} tables in all)`;
  }
}

/** A few words for the verdict line. */
export function shortOrigin(o: Origin | undefined, empty: boolean): string {
  if (!o) return empty ? 'an empty schema of unknown origin' : 'origin unknown (no name says what made it)';
  switch (o.kind) {
    case 'store-failures':
      return 'dbt store_failures output of an older project';
    case 'pipeline-leftover':
      return 'leftover of an interrupted pipeline run';
    case 'backup':
      return `a backup of ${o.base}${o.date ? ` from ${o.date}` : ''}`;
    case 'backup-tables':
      return 'backup tables';
    case 'vendor-copy':
      return `a copy of the vendor database (${o.matched} of ${o.stagingTables} staging tables)`;
  }
}
