/**
 * The small warehouse of tests/fixtures/wap-project: staging rows as a loader would leave them,
 * and helpers to copy the project, break it, and checksum every published table.
 */
import { cpSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qualified, quoteIdent, type Db } from '../../actions/platform/db.ts';
import { ROOT } from '../helpers/cli.ts';

export const FIXTURE = join(ROOT, 'tests', 'fixtures', 'wap-project');

/** A private copy of the fixture project (tests edit it). */
export function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wap-project-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

export function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
}

export const STAGING_SQL = (schema: string) => [
  `CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)}`,
  `CREATE TABLE ${qualified(schema, 'movings')} (id INT PRIMARY KEY, tenant_id INT, contract_type INT, rent INT, contract_date DATE, cancel_flag TINYINT, updated_at DATETIME)`,
  `INSERT INTO ${qualified(schema, 'movings')} VALUES
    (1, 10, 1, 50000, '2026-01-10', 0, '2026-02-04 10:00:00'),
    (2, 11, 2, 60000, '2026-01-20', 0, '2026-02-04 11:00:00'),
    (3, 12, 3, 55000, '2026-02-01', 0, '2026-02-04 12:00:00'),
    (4, 99, NULL, 45000, '2026-02-03', 0, '2026-02-04 13:00:00'),
    (5, 10, 1, 70000, '2026-02-04', 1, '2026-02-04 14:00:00')`,
  `CREATE TABLE ${qualified(schema, 'tenants')} (id INT PRIMARY KEY, name VARCHAR(20))`,
  `INSERT INTO ${qualified(schema, 'tenants')} VALUES (10, 'a'), (11, 'b'), (12, 'c')`,
];

export async function execAll(db: Db, sqls: string[]): Promise<void> {
  for (const s of sqls) await db.exec(s);
}

/** CHECKSUM TABLE of every base table (and the text of every view) in the given schemas. */
export async function snapshot(db: Db, schemas: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const schema of schemas) {
    const objects = await db.query<{ name: string; type: string }>(
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
      [schema],
    );
    for (const o of objects) {
      if (o.type === 'VIEW') {
        const [v] = await db.query<{ d: string }>(
          'SELECT VIEW_DEFINITION AS d FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
          [schema, o.name],
        );
        out[`${schema}.${o.name}`] = `view:${v!.d}`;
      } else {
        const [c] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(schema, o.name)}`);
        out[`${schema}.${o.name}`] = String(c!.Checksum);
      }
    }
  }
  return out;
}
