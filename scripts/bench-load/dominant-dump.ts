/**
 * The dominant-table shape for `bench:load --shape dominant`: a real `mariadb-dump` of a schema
 * this script fills on the server, where one table holds about three quarters of the bytes (long
 * Japanese TEXT with newlines and quotes, an AUTO_INCREMENT key, two secondary keys), a second
 * table has many short rows, and a few small tables follow. The generated dump's shape (81 tables,
 * the biggest half of the bytes) hides what this one shows: one table's load is the whole load.
 * Filled with MariaDB's SEQUENCE engine (seq_1_to_N) so it takes seconds, and dumped by the real
 * client so it is real client output.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, renameSync } from 'node:fs';
import { quoteIdent, type Db } from '../../actions/platform/db.ts';

/** Rows of the big table (about 640 bytes each) and of the second one, at scale 1 (~285 MB). */
const BIG_ROWS = 330_000;
const SECOND_ROWS = 600_000;

export async function dominantDump(db: Db, file: string, scale: number, clientArgs: string[]): Promise<void> {
  if (existsSync(file)) return;
  const schema = `bench_load_${process.pid}_dominant_src`;
  const q = quoteIdent(schema);
  await db.exec(`DROP DATABASE IF EXISTS ${q}`);
  await db.exec(`CREATE DATABASE ${q} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  try {
    await db.withSession(async (s) => {
      await s.exec(`USE ${q}`);
      await s.exec(`CREATE TABLE contracts_history (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        tenant_id INT NOT NULL,
        code VARCHAR(32) NOT NULL,
        body TEXT NOT NULL,
        created_at DATETIME NOT NULL,
        KEY by_tenant (tenant_id),
        KEY by_code (code)
      ) ENGINE=InnoDB`);
      // ~640 bytes a row: Japanese text (3 bytes a character), a newline, quotes and a backslash.
      await s.exec(
        `INSERT INTO contracts_history (tenant_id, code, body, created_at)
         SELECT seq % 50000, MD5(seq),
           CONCAT(REPEAT('契約の更新について、入居者様へご案内いたします。', 5), '\\n"備考" ''注意'' \\\\ ', seq, '\\n',
                  REPEAT('賃料は毎月末日までにお支払いください。', 4)),
           '2026-02-05 10:00:00' - INTERVAL (seq % 1000) DAY
         FROM seq_1_to_${Math.round(BIG_ROWS * scale)}`,
      );
      await s.exec(`CREATE TABLE access_events (
        id INT NOT NULL PRIMARY KEY, room_id INT NOT NULL, kind VARCHAR(16) NOT NULL, at DATETIME NOT NULL, KEY by_room (room_id)
      ) ENGINE=InnoDB`);
      await s.exec(
        `INSERT INTO access_events SELECT seq, seq % 9000, ELT(1 + seq % 3, 'open', 'close', 'alarm'), '2026-02-05' - INTERVAL (seq % 5000) MINUTE
         FROM seq_1_to_${Math.round(SECOND_ROWS * scale)}`,
      );
      for (const t of ['rooms', 'tenants', 'buildings']) {
        await s.exec(`CREATE TABLE ${t} (id INT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, note TEXT) ENGINE=InnoDB`);
        await s.exec(`INSERT INTO ${t} SELECT seq, CONCAT('${t} ', seq, ' 名前'), IF(seq % 7 = 0, NULL, 'メモ') FROM seq_1_to_5000`);
      }
    });
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      execFileSync('mariadb-dump', [...clientArgs, '--default-character-set=utf8mb4', '--single-transaction', schema], {
        stdio: ['ignore', fd, 'inherit'],
      });
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } finally {
    await db.exec(`DROP DATABASE IF EXISTS ${q}`);
  }
}
