/**
 * Dispatch: each classified statement of the dump becomes what the loader does with it. Tables
 * are created and filled through the connections (or spooled while they may be unchanged), views
 * and routines are kept for after the swap, refusals and skips are counted for the report. The
 * state of the dump read so far (its tables in order, its objects, its refusals) is held here and
 * read by the later steps.
 */
import { createHash } from 'node:crypto';
import { quoteIdent } from '../platform/db.ts';
import { PipelineError } from '../platform/errors.ts';
import type { Logger } from '../platform/log.ts';
import type { LoadResult } from '../platform/run-results.ts';
import type { DeferredObject } from '../platform/shadow-swap.ts';
import type { Statement } from './dump-splitter.ts';
import { addKeysSql, type JobSender, type TableState } from './load-jobs.ts';
import { splitSecondaryKeys } from './secondary-keys.ts';
import { sessionSqlOf } from './session-settings.ts';
import { excerpt, type StatementClassifier } from './statement-classifier.ts';
import type { TableSpool } from './table-spool.ts';
import { decideSpooled, type PreviousLoad, replaySpooled } from './unchanged-tables.ts';
import { checkDeferredValues } from './value-checks.ts';

/** Part of every content hash: a loader change that alters what is loaded bumps it (reloads all). */
export const LOADER_HASH_VERSION = 'load-v10';

export interface DispatchContext {
  classifier: StatementClassifier;
  sender: JobSender;
  spool: TableSpool;
  previous: PreviousLoad;
  /** Base tables of the published schema now. */
  published: ReadonlySet<string>;
  /** A plain local dump file (statements that are its own bytes are kept as offsets). */
  dumpFile: string | undefined;
  deferIndexes: boolean;
  /** Bytes of one LOAD DATA at most for a table, given whether it has an AUTO_INCREMENT column. */
  chunkBytes: (hasAutoIncrement: boolean) => number;
  log: Logger;
}

export class StatementDispatch {
  readonly tables = new Map<string, TableState>();
  /** Table names in dump order (a table dropped by the dump leaves it). */
  readonly order: string[] = [];
  readonly objects: DeferredObject[] = [];
  readonly refused: LoadResult['refused'] = [];
  readonly skipped = new Map<string, number>();
  skippedRoutines = 0;
  /** The last statement seen, for the message of a truncated dump. */
  lastStatement: { offset: number; line: number; excerpt: string } | undefined;
  /** The spooled table the dump is in, and the table it created last. */
  private spooling: TableState | undefined;
  private previousTable: TableState | undefined;

  private readonly c: DispatchContext;
  constructor(c: DispatchContext) {
    this.c = c;
  }

  async handle(stmt: Statement): Promise<void> {
    this.lastStatement = { offset: stmt.offset, line: stmt.line, excerpt: excerpt(stmt.head ? stmt.head(200) : stmt.sql) };
    const a = this.c.classifier.classify(stmt);
    const at = { offset: stmt.offset, line: stmt.line };
    switch (a.kind) {
      case 'create-table':
        return this.createTable(a.table, a.raw, a.sql, stmt);
      case 'insert':
      case 'alter-table':
        return this.write(a, stmt);
      case 'drop-table':
        for (let i = 0; i < a.tables.length; i++) await this.dropTable(a.tables[i]!, a.raw[i]!, at);
        return;
      case 'view':
        for (let i = this.objects.length - 1; i >= 0; i--)
          if (this.objects[i]!.type === 'VIEW' && this.objects[i]!.name === a.name) this.objects.splice(i, 1);
        this.objects.push(this.deferred('VIEW', a.name, a.sql));
        return;
      case 'routine':
        this.objects.push(this.deferred(a.type, a.name, a.sql));
        return;
      case 'session':
        return;
      case 'skip':
        if (/skipped \(load it with --with-routines\)/.test(a.reason)) this.skippedRoutines++;
        if (!a.quiet) this.skipped.set(a.reason, (this.skipped.get(a.reason) ?? 0) + 1);
        return;
      case 'refuse':
        this.refused.push({ statement: excerpt(stmt.sql), reason: a.reason, ...at });
        this.c.log.warn(`refused the statement at line ${stmt.line} (byte offset ${stmt.offset}): ${a.reason}`);
        return;
    }
  }

  /**
   * The end of the dump: spooled tables whose hash differs are replayed, the deferred keys of the
   * tables that load are queued. Returns the unchanged tables and every table's content hash.
   */
  async finish(): Promise<{ unchanged: Set<string>; hashes: Map<string, string> }> {
    const hashes = new Map<string, string>();
    for (const t of this.tables.values()) hashes.set(t.name, t.hash.digest('hex'));
    const unchanged = new Set(
      [...this.tables.values()].filter((t) => t.spooled && this.c.previous.get(t.name)?.hash === hashes.get(t.name)).map((t) => t.name),
    );
    for (const t of this.tables.values())
      if (t.spooled && !unchanged.has(t.name)) await replaySpooled(t, this.c.spool, this.c.sender, this.refused);
    // The deferred secondary indexes, each table's once its rows are in (tables in parallel).
    for (const t of this.tables.values()) if (t.keys.length && !unchanged.has(t.name)) await this.c.sender.addKeys(t);
    return { unchanged, hashes };
  }

  /**
   * A view or routine, created after the swap through an ordinary (utf8mb4) connection: its text is
   * decoded from the dump's character set here, so the client character set it runs with is
   * utf8mb4 whatever the dump's was (the other settings, collation_connection included, are the dump's).
   */
  private deferred(type: DeferredObject['type'], name: string, raw: string): DeferredObject {
    const sql = this.c.classifier.decode(raw);
    const session = new Map(this.c.classifier.session).set('character_set_client', 'utf8mb4');
    return { type, name, sql, sessionSql: sessionSqlOf(session) };
  }

  private async createTable(name: string, raw: string, sql: string, stmt: Statement): Promise<void> {
    const { sender, spool } = this.c;
    const at = { offset: stmt.offset, line: stmt.line };
    if (this.tables.has(name))
      throw new PipelineError(
        `the dump creates table ${name} twice (again at line ${stmt.line}, byte offset ${stmt.offset}) without dropping it. To fix this, check the dump.`,
      );
    await decideSpooled(this.spooling, this.c.previous, spool, sender, this.refused);
    // The dump moved on: the previous table's deferred keys are built while the next tables load.
    const prev = this.previousTable;
    if (prev && !prev.spooled && prev.keys.length && this.tables.get(prev.name) === prev) await sender.addKeys(prev);
    const split = this.c.deferIndexes ? splitSecondaryKeys(sql) : { create: sql, keys: [] };
    const t: TableState = {
      name,
      raw,
      // SHA-256: the unchanged reload of a ~300 MB dump hashes every byte, and CPUs with the SHA
      // extensions (AMD since Zen, Intel since Ice Lake: GitHub's runners) hash it at 1.4 GB/s,
      // against 0.6 GB/s for SHA-512/256 (which is faster only where they are missing).
      hash: createHash('sha256'),
      rows: 0,
      bytes: stmt.sql.length,
      started: Date.now(),
      spooled: this.c.previous.has(name) && this.c.published.has(name),
      tail: Promise.resolve(),
      firstLine: stmt.line,
      keys: split.keys,
      serverSeconds: 0,
      chunkBytes: this.c.chunkBytes(/\bAUTO_INCREMENT\b/i.test(sql)),
    };
    const s = sender.session();
    t.hash.update(LOADER_HASH_VERSION).update(s.sql).update(sql);
    this.tables.set(name, t);
    this.previousTable = t;
    this.order.push(name);
    this.spooling = t.spooled ? t : undefined;
    if (t.spooled)
      spool.write({
        table: name,
        kind: 'create-table',
        sql: Buffer.from(split.create, 'latin1'),
        sessionVersion: s.version,
        sessionSql: s.sql,
        ...at,
      });
    else t.created = (await sender.submit(t, { sql: split.create, table: name, what: 'CREATE TABLE', ...at })).done;
  }

  private async write(
    a: Extract<ReturnType<StatementClassifier['classify']>, { kind: 'insert' | 'alter-table' }>,
    stmt: Statement,
  ): Promise<void> {
    const { sender, spool, dumpFile } = this.c;
    const at = { offset: stmt.offset, line: stmt.line };
    const t = this.tables.get(a.table);
    if (!t)
      throw new PipelineError(
        `line ${stmt.line} (byte offset ${stmt.offset}) writes to table ${a.table}, which the dump has not created. To fix this, check the dump (is a CREATE TABLE missing?).`,
      );
    // Back to a table already passed: it changed.
    if (t.spooled && t !== this.spooling) await replaySpooled(t, spool, sender, this.refused);
    let plain = a.kind === 'insert' ? a.values : undefined;
    if (a.kind === 'insert' && a.rows < 0 && !t.spooled) {
      // Classified while the table was spooled (VALUES not checked yet), but it loads now.
      const checked = checkDeferredValues(a.table, a.sql, a.valuesAt!, at, this.refused);
      if (!checked) return;
      a.rows = checked.rows;
      plain = checked.plain;
    }
    const s = sender.session();
    t.hash.update(s.sql).update(a.sql);
    t.bytes += a.sql.length;
    if (a.kind === 'insert' && a.rows >= 0) t.rows += a.rows;
    if (a.kind === 'alter-table' && t.keys.length) {
      // The dump alters the table itself (a foreign key, say): its deferred keys go first.
      if (t.spooled)
        spool.write({
          table: a.table,
          kind: 'alter-table',
          sql: Buffer.from(addKeysSql(t), 'latin1'),
          sessionVersion: s.version,
          sessionSql: s.sql,
          ...at,
        });
      else await sender.addKeys(t, at);
    }
    // The statement's bytes are the dump file's own: a queued copy can be read back from it.
    const dumpOffset = dumpFile !== undefined && stmt.contiguous === true && a.sql === stmt.sql ? stmt.offset : undefined;
    const head =
      a.kind === 'insert' ? { ...a.head, charset: this.c.classifier.session.get('character_set_client') ?? 'utf8mb4' } : undefined;
    if (t.spooled)
      spool.write(
        {
          table: a.table,
          kind: a.kind,
          sql: typeof a.sql === 'string' ? Buffer.from(a.sql, 'latin1') : a.sql,
          sessionVersion: s.version,
          sessionSql: s.sql,
          valuesAt: a.kind === 'insert' ? a.valuesAt : undefined,
          rows: a.kind === 'insert' && a.rows >= 0 ? a.rows : undefined,
          plain,
          head,
          ...at,
        },
        dumpOffset,
      );
    else if (a.kind === 'insert') await sender.insert(t, a.sql, a.rows, plain, head!, at, undefined, dumpOffset);
    else await sender.submit(t, { sql: a.sql, table: a.table, what: 'ALTER TABLE', ...at }, t.tail);
  }

  private async dropTable(name: string, raw: string, at: { offset: number; line: number }): Promise<void> {
    const t = this.tables.get(name);
    if (!t) return; // the shadow is fresh: nothing to drop
    this.tables.delete(name);
    this.order.splice(this.order.indexOf(name), 1);
    if (t.spooled) this.c.spool.discard(name);
    else await this.c.sender.submit(t, { sql: `DROP TABLE IF EXISTS ${quoteIdent(raw)}`, table: name, what: 'DROP TABLE', ...at }, t.tail);
    if (this.spooling === t) this.spooling = undefined;
  }
}
