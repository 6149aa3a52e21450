/**
 * Statements of tables that may be unchanged since the last load. Whether a table is unchanged
 * is known only at its end (its content hash), so its statements wait here and are replayed
 * only when the hash differs. The loader decides as soon as the dump moves on to the next table,
 * so changed tables still load while the rest of the dump is read.
 *
 * Memory stays flat: a statement that is a plain local dump's own bytes is kept as its offset
 * (read back from the dump), anything else in a temporary file (see spill-file.ts).
 */
import { SpillFile, type Spilled } from './spill-file.ts';

/** What an INSERT needs besides its bytes to be sent as LOAD DATA (see load-data.ts). */
export interface InsertHead {
  columns?: string;
  ignore: boolean;
  replace: boolean;
  /** The dump's character_set_client where the INSERT stood. */
  charset: string;
}

export interface SpooledStatement {
  table: string;
  kind: 'create-table' | 'insert' | 'alter-table';
  sql: Buffer;
  sessionVersion: number;
  sessionSql: string;
  offset: number;
  line: number;
  /** For an INSERT whose VALUES are not checked yet: where they start. */
  valuesAt?: number;
  /** For an INSERT checked already: its rows, and where they are when LOAD DATA can read them. */
  rows?: number;
  plain?: { first: number; last: number };
  head?: InsertHead;
}

type Entry = Omit<SpooledStatement, 'sql'> & { bytes: Spilled };

export class TableSpool {
  private readonly file: SpillFile;
  private readonly tables = new Map<string, Entry[]>();

  /** `dumpFile`: a plain local dump, whose own bytes are kept as offsets. */
  constructor(dumpFile?: string) {
    this.file = new SpillFile(dumpFile);
  }

  /** `dumpOffset`: where `s.sql` is, byte for byte, in the dump file (when it is). */
  write(s: SpooledStatement, dumpOffset?: number): void {
    const { sql, ...rest } = s;
    let list = this.tables.get(s.table);
    if (!list) this.tables.set(s.table, (list = []));
    list.push({ ...rest, bytes: this.file.keep(sql, dumpOffset) });
  }

  /** The spooled statements of one table, in dump order. */
  *read(table: string): Generator<SpooledStatement> {
    const list = this.tables.get(table) ?? [];
    this.tables.delete(table);
    for (const { bytes, ...rest } of list) yield { ...rest, sql: this.file.read(bytes) };
  }

  /** Forgets a table's statements (unchanged, or dropped by the dump). */
  discard(table: string): void {
    for (const e of this.tables.get(table) ?? []) this.file.release(e.bytes);
    this.tables.delete(table);
  }

  dispose(): void {
    this.tables.clear();
    this.file.dispose();
  }
}
