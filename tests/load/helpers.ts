/** Shared pieces of the loader tests: run a load in-process, compare schemas on the server. */
import { execFileSync, spawnSync } from 'node:child_process';
import { quoteIdent, qualified, type Db } from '../../actions/platform/db.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { resolveDumpSource } from '../../actions/load/dump-source.ts';
import { loadDump, type LoadOptions, type LoadOutcome } from '../../actions/load/load-dump.ts';
import { TEST_DATABASE_URL } from '../helpers/db.ts';

export async function loadFile(
  db: Db,
  file: string,
  schema: string,
  o: Partial<LoadOptions> & { metaSchema: string },
): Promise<LoadOutcome> {
  const source = await resolveDumpSource(file);
  return loadDump(db, { source, schema, threads: 3, ...o }, createMemoryLogger());
}

export async function tablesOf(db: Db, schema: string, type = 'BASE TABLE'): Promise<string[]> {
  const rows = await db.query<{ n: string }>(
    'SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ? ORDER BY 1',
    [schema, type],
  );
  return rows.map((r) => r.n);
}

/** CHECKSUM TABLE and row count of every base table. */
export async function checksums(db: Db, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tablesOf(db, schema)) {
    const [c] = await db.query<{ Checksum: string }>(`CHECKSUM TABLE ${qualified(schema, t)}`);
    const [n] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(schema, t)}`);
    out[t] = `${n!.n} rows, checksum ${c!.Checksum}`;
  }
  return out;
}

export async function objectsOf(db: Db, schema: string): Promise<string[]> {
  const r = await db.query<{ n: string }>(
    `SELECT CONCAT('routine ', ROUTINE_NAME) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
     UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?
     UNION ALL SELECT CONCAT('view ', TABLE_NAME) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1`,
    [schema, schema, schema],
  );
  return r.map((x) => x.n);
}

const url = new URL(TEST_DATABASE_URL);
export const CLIENT_ARGS = [
  '-h',
  url.hostname || '127.0.0.1',
  '-P',
  url.port || '3306',
  '-u',
  decodeURIComponent(url.username || 'root'),
  ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : []),
];

export function mariadbDump(args: string[], file: string): void {
  execFileSync('sh', ['-c', `mariadb-dump ${[...CLIENT_ARGS, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} > '${file}'`]);
}

/** The plain client: `mariadb db < file`. */
export function plainClient(schema: string, input: Buffer): { ok: boolean; stderr: string } {
  const r = spawnSync('mariadb', [...CLIENT_ARGS, '--binary-mode', schema], { input });
  return { ok: r.status === 0, stderr: String(r.stderr) };
}

export async function createSchema(db: Db, schema: string): Promise<void> {
  await db.exec(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(schema)} CHARACTER SET utf8mb4`);
}

/** A small mysqldump-like file: `tables` tables of `rows` rows, INSERTs of 500 rows each. */
export function makeDump(o: { tables: string[]; rows: number; tag?: string; trailer?: boolean; extra?: string }): Buffer {
  const parts: string[] = [
    '-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: vendor    Database: gghouse\n',
    "/*!40101 SET NAMES utf8mb4 */;\n/*!40103 SET TIME_ZONE='+00:00' */;\n/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n",
  ];
  for (const t of o.tables) {
    parts.push(
      `\n--\n-- Table structure for table \`${t}\`\n--\n\nDROP TABLE IF EXISTS \`${t}\`;\nCREATE TABLE \`${t}\` (\n  \`id\` int NOT NULL,\n  \`name\` varchar(100) DEFAULT NULL,\n  \`note\` text,\n  \`at\` datetime DEFAULT NULL,\n  PRIMARY KEY (\`id\`),\n  KEY \`by_name\` (\`name\`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;\n\nLOCK TABLES \`${t}\` WRITE;\n`,
    );
    for (let start = 0; start < o.rows; start += 500) {
      const vals: string[] = [];
      for (let i = start; i < Math.min(o.rows, start + 500); i++) {
        vals.push(
          `(${i},'名前 ${t} ${i}${o.tag ?? ''}',${i % 7 === 0 ? 'NULL' : `'note \\'${i}\\' ; -- x'`},'2026-02-0${1 + (i % 5)} 10:00:00')`,
        );
      }
      parts.push(`INSERT INTO \`${t}\` VALUES ${vals.join(',')};\n`);
    }
    parts.push('UNLOCK TABLES;\n');
  }
  if (o.extra) parts.push(o.extra);
  parts.push('/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n');
  if (o.trailer !== false) parts.push('\n-- Dump completed on 2026-02-05  1:00:00\n');
  return Buffer.from(parts.join(''), 'utf8');
}

/** SHOW CREATE TABLE of every base table (AUTO_INCREMENT counters left out). */
export async function tableShapes(db: Db, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tablesOf(db, schema)) {
    const [row] = await db.query<Record<string, string>>(`SHOW CREATE TABLE ${qualified(schema, t)}`);
    out[t] = row!['Create Table']!.replace(/ AUTO_INCREMENT=\d+/, '');
  }
  return out;
}
