import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDump, type GenerateDumpResult } from '../../scripts/generate-dump/generate-dump.ts';
import { silentLogger } from '../../actions/platform/log.ts';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';
import { dropSchemasWithPrefix, openTestDb, testPrefix } from '../helpers/db.ts';
import { loadWithClient } from './mariadb-client.ts';

const prefix = testPrefix('genload');
const schema = `${prefix}vendor`;
const DATE = '20260205';
const dir = mkdtempSync(join(tmpdir(), 'gen-load-'));
let db: Db;
let result: GenerateDumpResult;

/** Runs a query with the vendor's lax sql_mode, so zero dates can be compared. */
async function q<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return db.withSession(async (s) => {
    await s.exec("SET SESSION sql_mode = ''");
    await s.exec(`USE ${quoteIdent(schema)}`);
    return s.query<T>(sql);
  });
}
const count = async (sql: string) => Number((await q<{ n: number }>(sql))[0]!.n);

before(async () => {
  db = await openTestDb(2);
  result = await generateDump({ out: join(dir, `gghouse_${DATE}.sql`), scale: 0.004, date: DATE, seed: 7 }, silentLogger);
  await db.exec(`CREATE DATABASE ${quoteIdent(schema)}`);
  await loadWithClient(schema, result.file);
});

after(async () => {
  await dropSchemasWithPrefix(db, prefix);
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the mariadb client loads the dump: all 81 tables with the row counts the generator reports', async () => {
  assert.equal(result.tables.length, 81);
  const tables = await db.query<{ name: string }>(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1',
    [schema],
  );
  assert.deepEqual(tables.map((t) => t.name).sort(), result.tables.map((t) => t.table).sort());
  for (const t of result.tables) {
    assert.equal(await count(`SELECT COUNT(*) AS n FROM ${quoteIdent(t.table)}`), t.rows, t.table);
  }
  const empty = result.tables.filter((t) => t.rows === 0).map((t) => t.table);
  assert.ok(empty.length >= 5, `several empty tables, got ${empty.join(', ')}`);
  const biggest = [...result.tables].sort((a, b) => b.bytes - a.bytes).slice(0, 2);
  assert.deepEqual(biggest.map((t) => t.table).sort(), ['access_logs', 'operation_logs']);
  assert.ok(biggest[0]!.bytes + biggest[1]!.bytes > result.bytes / 2, 'the two log tables carry most of the bytes');
});

test('the five warehouse tables have exactly the columns of DOMAIN.md', async () => {
  const expected: Record<string, string> = {
    apartments:
      'id,apartment_name,apartment_name_en,prefecture,city,address,nearest_station,total_rooms,opened_on,closed_on,status,created_at,updated_at',
    rooms: 'id,apartment_id,room_number,floor,room_type,area_sqm,rent,common_fee,status,created_at,updated_at',
    tenants:
      'id,tenant_name,tenant_name_kana,gender_type,birth_date,nationality,personal_identity,affiliation_type,affiliation_name,status,email,tel,is_deleted,created_at,updated_at',
    movings:
      'id,tenant_id,apartment_id,room_id,contract_type,corporate_name,application_date,contract_date,movein_date,planned_moveout_date,moveout_notice_date,moveout_date,moveout_reason_id,rent,deposit,cancel_flag,created_at,updated_at',
    inquiries: 'id,inquiry_at,inquiry_type,channel,apartment_id,tenant_id,nationality,created_at',
  };
  for (const [table, columns] of Object.entries(expected)) {
    const rows = await db.query<{ c: string }>(
      'SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [schema, table],
    );
    assert.equal(rows.map((r) => r.c).join(','), columns, table);
  }
});

test('every dirty-data rule of DOMAIN.md occurs', async () => {
  const rules: Record<string, string> = {
    "zero dates '0000-00-00'":
      "SELECT (SELECT COUNT(*) FROM movings WHERE planned_moveout_date = '0000-00-00') + (SELECT COUNT(*) FROM tenants WHERE birth_date = '0000-00-00') AS n",
    'names with leading/trailing ASCII or full-width spaces': "SELECT COUNT(*) AS n FROM tenants WHERE tenant_name REGEXP '^[ 　]|[ 　]$'",
    'gender_type 0': 'SELECT COUNT(*) AS n FROM tenants WHERE gender_type = 0',
    'gender_type NULL': 'SELECT COUNT(*) AS n FROM tenants WHERE gender_type IS NULL',
    'contract_type NULL': 'SELECT COUNT(*) AS n FROM movings WHERE contract_type IS NULL',
    'soft-deleted tenants': 'SELECT COUNT(*) AS n FROM tenants WHERE is_deleted = 1',
    'contracts whose tenant does not exist':
      'SELECT COUNT(*) AS n FROM movings m LEFT JOIN tenants t ON t.id = m.tenant_id WHERE t.id IS NULL',
    'cancelled applications': 'SELECT COUNT(*) AS n FROM movings WHERE cancel_flag = 1',
    'planned dates after the dump date': "SELECT COUNT(*) AS n FROM movings WHERE planned_moveout_date > '2026-02-05'",
  };
  for (const [rule, sql] of Object.entries(rules)) assert.ok((await count(sql)) > 0, rule);
});

test('dates are consistent and nothing after the dump date has happened', async () => {
  const zero = (c: string) => `NULLIF(${c}, '0000-00-00')`;
  const broken = await count(`SELECT COUNT(*) AS n FROM movings WHERE
      ${zero('contract_date')} < application_date OR movein_date < ${zero('contract_date')}
      OR ${zero('moveout_notice_date')} < movein_date OR ${zero('moveout_date')} < ${zero('moveout_notice_date')}
      OR ${zero('moveout_date')} < movein_date`);
  assert.equal(broken, 0, 'application <= contract <= movein <= notice <= moveout');
  assert.equal(
    await count(
      "SELECT COUNT(*) AS n FROM movings WHERE application_date > '2026-02-05' OR contract_date > '2026-02-05' OR moveout_notice_date > '2026-02-05'",
    ),
    0,
  );
  assert.equal(await count("SELECT COUNT(*) AS n FROM inquiries WHERE inquiry_at >= '2026-02-06'"), 0);
  assert.equal(await count("SELECT COUNT(*) AS n FROM access_logs WHERE created_at >= '2026-02-06'"), 0);
  // A moveout after the dump date is only known because notice was given.
  assert.equal(await count("SELECT COUNT(*) AS n FROM movings WHERE moveout_date > '2026-02-05' AND moveout_notice_date IS NULL"), 0);
  assert.equal(
    await count("SELECT COUNT(*) AS n FROM movings WHERE cancel_flag = 1 AND moveout_date IS NOT NULL AND moveout_date <> '0000-00-00'"),
    0,
  );
  // A room holds one live contract at a time (checked where both tenants had moved in by the
  // dump date, so the first one's moveout is known).
  const signed = (t: string) => `${t}.cancel_flag = 0 AND NULLIF(${t}.contract_date, '0000-00-00') IS NOT NULL`;
  assert.equal(
    await count(`SELECT COUNT(*) AS n FROM movings a JOIN movings b ON b.room_id = a.room_id AND b.id <> a.id
      WHERE ${signed('a')} AND ${signed('b')} AND b.movein_date <= '2026-02-05'
        AND a.movein_date <= b.movein_date AND b.movein_date < COALESCE(NULLIF(a.moveout_date, '0000-00-00'), '9999-12-31')`),
    0,
    'no room is double-booked',
  );
  // History spans about eight years, with a spring peak of move-ins.
  const years = await q<{ y: number }>('SELECT DISTINCT YEAR(application_date) AS y FROM movings ORDER BY 1');
  assert.ok(years.length >= 8, `years: ${years.map((r) => r.y).join(',')}`);
  const spring = await count('SELECT COUNT(*) AS n FROM movings WHERE MONTH(movein_date) IN (3, 4)');
  const autumn = await count('SELECT COUNT(*) AS n FROM movings WHERE MONTH(movein_date) IN (11, 12)');
  assert.ok(spring > autumn, `spring ${spring} > late autumn ${autumn}`);
});

test('code values stay within the documented ranges', async () => {
  const checks: Record<string, string> = {
    'gender_type in 0..3 or NULL': 'SELECT COUNT(*) AS n FROM tenants WHERE gender_type NOT BETWEEN 0 AND 3',
    'tenant status in 1..18': 'SELECT COUNT(*) AS n FROM tenants WHERE status NOT BETWEEN 1 AND 18',
    'contract_type in 1..10': 'SELECT COUNT(*) AS n FROM movings WHERE contract_type NOT BETWEEN 1 AND 10',
    'personal_identity in 1..8': 'SELECT COUNT(*) AS n FROM tenants WHERE personal_identity NOT BETWEEN 1 AND 8',
    'affiliation_type in 1..18': 'SELECT COUNT(*) AS n FROM tenants WHERE affiliation_type NOT BETWEEN 1 AND 18',
    'moveout_reason_id in 1..8': 'SELECT COUNT(*) AS n FROM movings WHERE moveout_reason_id NOT BETWEEN 1 AND 8',
    'inquiry_type 1 or 2': 'SELECT COUNT(*) AS n FROM inquiries WHERE inquiry_type NOT IN (1, 2)',
    'room_type private/shared/dormitory': "SELECT COUNT(*) AS n FROM rooms WHERE room_type NOT IN ('private', 'shared', 'dormitory')",
  };
  for (const [what, sql] of Object.entries(checks)) assert.equal(await count(sql), 0, what);
  assert.ok((await count('SELECT COUNT(DISTINCT contract_type) AS n FROM movings')) >= 8);
});
