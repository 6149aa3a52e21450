/**
 * `load --parse-only`: reads and classifies the whole dump without a database, and says what a
 * load would do (tables, rows, bytes, refused statements, the trailer). It is also the parser's
 * throughput benchmark. Conditional comments are resolved as a MySQL 8 server would.
 */
import type { Logger } from '../platform/log.ts';
import { createCollationMapper } from './collations.ts';
import { dumpBytes, plainDumpFile, reusedChunks, type DumpSource } from './dump-source.ts';
import { DumpSplitter } from './dump-splitter.ts';
import { StatementClassifier, excerpt } from './statement-classifier.ts';

export interface ParseResult {
  source: string;
  bytes: number;
  statements: number;
  seconds: number;
  complete: boolean;
  tables: Array<{ table: string; rows: number; bytes: number }>;
  refused: Array<{ statement: string; reason: string; line: number; offset: number }>;
  skipped: Array<{ reason: string; count: number }>;
  views: number;
  routines: number;
}

export async function parseDump(source: DumpSource, o: { withRoutines?: boolean }, log: Logger): Promise<ParseResult> {
  const started = Date.now();
  const classifier = new StatementClassifier({
    flavor: { mariadb: false, versionId: 80099 },
    withRoutines: o.withRoutines ?? false,
    collations: createCollationMapper(new Set()),
    otherSchemas: new Set(['mysql', 'information_schema', 'performance_schema', 'sys']),
  });
  const splitter = new DumpSplitter();
  const tables = new Map<string, { table: string; rows: number; bytes: number }>();
  const refused: ParseResult['refused'] = [];
  const skipped = new Map<string, number>();
  let statements = 0;
  let views = 0;
  let routines = 0;
  let complete = true;
  let bytes = 0;
  const progress = log.progress({ label: `parsing ${source.name}`, unit: 'bytes' });
  const handle = (stmt: import('./dump-splitter.ts').Statement) => {
    statements++;
    if (!stmt.terminated) complete = false;
    const a = classifier.classify(stmt);
    if (a.kind === 'create-table') tables.set(a.table, { table: a.table, rows: 0, bytes: a.sql.length });
    else if (a.kind === 'insert' || a.kind === 'alter-table') {
      const t = tables.get(a.table) ?? { table: a.table, rows: 0, bytes: 0 };
      tables.set(a.table, t);
      t.bytes += a.kind === 'insert' ? a.size : a.sql.length;
      if (a.kind === 'insert') t.rows += a.rows;
    } else if (a.kind === 'drop-table') for (const n of a.tables) tables.delete(n);
    else if (a.kind === 'view') views++;
    else if (a.kind === 'routine') routines++;
    else if (a.kind === 'refuse') refused.push({ statement: excerpt(stmt.sql), reason: a.reason, line: stmt.line, offset: stmt.offset });
    else if (a.kind === 'skip' && !a.quiet) skipped.set(a.reason, (skipped.get(a.reason) ?? 0) + 1);
  };
  for await (const chunk of plainDumpFile(source) !== undefined ? reusedChunks(source.path!) : dumpBytes(source)) {
    bytes += chunk.length;
    progress.set(bytes);
    for (const s of splitter.push(chunk)) handle(s);
    splitter.detach(); // the chunk's buffer is read into again
  }
  for (const s of splitter.end()) handle(s);
  progress.finish();
  return {
    source: source.name,
    bytes,
    statements,
    seconds: (Date.now() - started) / 1000,
    complete: complete && splitter.stats.trailer,
    tables: [...tables.values()],
    refused,
    skipped: [...skipped.entries()].map(([reason, count]) => ({ reason, count })),
    views,
    routines,
  };
}
