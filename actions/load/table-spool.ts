/**
 * Statements of tables that may be unchanged since the last load. Whether a table is unchanged
 * is known only at its end (its content hash), so its statements wait here, in a temporary file
 * (memory stays flat), and are replayed only when the hash differs.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpooledStatement {
  table: string;
  kind: 'create-table' | 'insert' | 'alter-table';
  sql: Buffer;
  sessionVersion: number;
  sessionSql: string;
  offset: number;
  line: number;
}

export class TableSpool {
  private dir: string | undefined;
  private fd = -1;
  private file = '';
  count = 0;

  write(s: SpooledStatement): void {
    if (this.fd < 0) {
      this.dir = mkdtempSync(join(tmpdir(), 'pipeline-load-'));
      this.file = join(this.dir, 'spool.bin');
      this.fd = openSync(this.file, 'w+');
    }
    const head = Buffer.from(JSON.stringify({ t: s.table, k: s.kind, v: s.sessionVersion, s: s.sessionSql, o: s.offset, l: s.line }));
    const lens = Buffer.alloc(8);
    lens.writeUInt32LE(head.length, 0);
    lens.writeUInt32LE(s.sql.length, 4);
    writeSync(this.fd, lens);
    writeSync(this.fd, head);
    writeSync(this.fd, s.sql);
    this.count++;
  }

  /** Every spooled statement of the given tables, in dump order. */
  *read(tables: ReadonlySet<string>): Generator<SpooledStatement> {
    if (this.fd < 0) return;
    let pos = 0;
    const lens = Buffer.alloc(8);
    for (;;) {
      if (readSync(this.fd, lens, 0, 8, pos) < 8) return;
      const hl = lens.readUInt32LE(0);
      const bl = lens.readUInt32LE(4);
      const head = Buffer.alloc(hl);
      readSync(this.fd, head, 0, hl, pos + 8);
      const h = JSON.parse(head.toString()) as { t: string; k: SpooledStatement['kind']; v: number; s: string; o: number; l: number };
      if (tables.has(h.t)) {
        const sql = Buffer.allocUnsafe(bl);
        readSync(this.fd, sql, 0, bl, pos + 8 + hl);
        yield { table: h.t, kind: h.k, sql, sessionVersion: h.v, sessionSql: h.s, offset: h.o, line: h.l };
      }
      pos += 8 + hl + bl;
    }
  }

  dispose(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
