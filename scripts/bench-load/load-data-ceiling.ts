/**
 * The ceiling `bench:load` compares the loader with, measured in the same run: every table's rows
 * as ONE `LOAD DATA LOCAL INFILE` from a ready-made file (the INSERTs' VALUES lists, which LOAD DATA
 * reads as they are: see actions/load/load-data.ts), into a table created `LIKE` the plain client's
 * (keys included), tables in parallel on `threads` connections, biggest first. No parsing, no
 * checks, no swap: what the server alone needs. Only the rows LOAD DATA can read as they are count
 * (the generated dump has a few INSERTs of hex literals; they are left out and said so).
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollationMapper } from '../../actions/load/collations.ts';
import { dumpBytes, resolveDumpSource } from '../../actions/load/dump-source.ts';
import { DumpSplitter } from '../../actions/load/dump-splitter.ts';
import { loadDataFor } from '../../actions/load/load-data.ts';
import { StatementClassifier } from '../../actions/load/statement-classifier.ts';
import { openDb, qualified, quoteIdent, type Db, type DbSettings } from '../../actions/platform/db.ts';

export interface Ceiling {
  seconds: number;
  /** The biggest table's LOAD DATA alone (it ran beside the others). */
  biggest: { table: string; seconds: number; bytes: number };
  /** Rows left out (not plain). */
  skippedRows: number;
}

/** Writes each table's plain rows to a file; returns table → { file, bytes } in dump order. */
async function rowFiles(dump: string, dir: string): Promise<{ files: Map<string, { file: string; bytes: number }>; skippedRows: number }> {
  const classifier = new StatementClassifier({
    flavor: { mariadb: true, versionId: 101100 },
    withRoutines: false,
    collations: createCollationMapper(new Set()),
    otherSchemas: new Set(),
  });
  const splitter = new DumpSplitter();
  const fds = new Map<string, number>();
  const files = new Map<string, { file: string; bytes: number }>();
  let skippedRows = 0;
  const handle = (stmt: Parameters<StatementClassifier['classify']>[0]) => {
    const a = classifier.classify(stmt);
    if (a.kind !== 'insert') return;
    if (!a.values) {
      skippedRows += Math.max(a.rows, 0);
      return;
    }
    let fd = fds.get(a.table);
    if (fd === undefined) {
      const file = join(dir, `${files.size}.rows`);
      fds.set(a.table, (fd = openSync(file, 'w')));
      files.set(a.table, { file, bytes: 0 });
    }
    const rows = a.sql.subarray(a.values.first, a.values.last + 1);
    writeSync(fd, rows);
    files.get(a.table)!.bytes += rows.length;
  };
  for await (const chunk of dumpBytes(await resolveDumpSource(dump))) for (const s of splitter.push(chunk)) handle(s);
  for (const s of splitter.end()) handle(s);
  for (const fd of fds.values()) closeSync(fd);
  return { files, skippedRows };
}

export async function loadDataCeiling(db: Db, settings: DbSettings, dump: string, likeSchema: string, threads: number): Promise<Ceiling> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ceiling-'));
  const schema = `bench_load_${process.pid}_ceiling`;
  try {
    const { files, skippedRows } = await rowFiles(dump, dir);
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(schema)}`);
    await db.exec(`CREATE DATABASE ${quoteIdent(schema)} CHARACTER SET utf8mb4`);
    for (const t of files.keys()) await db.exec(`CREATE TABLE ${qualified(schema, t)} LIKE ${qualified(likeSchema, t)}`);
    const paths = new Map([...files.values()].map((f, i) => [`ceiling-${i}`, f.file]));
    const conn = await openDb(settings, {
      connections: threads,
      driver: { infileStreamFactory: (name: string) => createReadStream(paths.get(name)!, { highWaterMark: 1 << 20 }) },
    });
    const todo = [...files.entries()].map(([table, f], i) => ({ table, ...f, name: `ceiling-${i}` })).sort((a, b) => b.bytes - a.bytes);
    const biggest = { table: todo[0]!.table, seconds: 0, bytes: todo[0]!.bytes };
    const started = Date.now();
    try {
      await Promise.all(
        Array.from({ length: threads }, () =>
          conn.withSession(async (s) => {
            await s.exec(`USE ${quoteIdent(schema)}`);
            await s.exec("SET SESSION unique_checks = 0, foreign_key_checks = 0, sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00'");
            for (let job = todo.shift(); job; job = todo.shift()) {
              const t = Date.now();
              const { sql } = loadDataFor(
                job.table,
                Buffer.alloc(0),
                { first: 0, last: -1, ignore: false, replace: false },
                'utf8mb4',
                job.name,
              );
              await s.exec(sql);
              if (job.table === biggest.table) biggest.seconds = (Date.now() - t) / 1000;
            }
          }),
        ),
      );
    } finally {
      await conn.close();
    }
    return { seconds: (Date.now() - started) / 1000, biggest, skippedRows };
  } finally {
    await db.exec(`DROP DATABASE IF EXISTS ${quoteIdent(schema)}`);
    rmSync(dir, { recursive: true, force: true });
  }
}
