/**
 * Statements of tables that may be unchanged since the last load. Whether a table is unchanged
 * is known only at its end (its content hash), so its statements wait here, one temporary file
 * per table (memory stays flat), and are replayed only when the hash differs. The loader decides
 * as soon as the dump moves on to the next table, so changed tables still load while the rest of
 * the dump is read.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
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
  /** For an INSERT whose VALUES are not checked yet: where they start. */
  valuesAt?: number;
}

export class TableSpool {
  private dir: string | undefined;
  private files = new Map<string, { fd: number; path: string; size: number }>();

  write(s: SpooledStatement): void {
    this.dir ??= mkdtempSync(join(tmpdir(), 'pipeline-load-'));
    let f = this.files.get(s.table);
    if (!f) {
      const path = join(this.dir, `t${this.files.size}.bin`);
      f = { fd: openSync(path, 'w+'), path, size: 0 };
      this.files.set(s.table, f);
    }
    const head = Buffer.from(JSON.stringify({ k: s.kind, v: s.sessionVersion, s: s.sessionSql, o: s.offset, l: s.line, a: s.valuesAt }));
    const lens = Buffer.alloc(8);
    lens.writeUInt32LE(head.length, 0);
    lens.writeUInt32LE(s.sql.length, 4);
    for (const b of [lens, head, s.sql]) {
      writeSync(f.fd, b, 0, b.length, f.size);
      f.size += b.length;
    }
  }

  /** The spooled statements of one table, in dump order. */
  *read(table: string): Generator<SpooledStatement> {
    const f = this.files.get(table);
    if (!f) return;
    let pos = 0;
    const lens = Buffer.alloc(8);
    while (pos < f.size) {
      readSync(f.fd, lens, 0, 8, pos);
      const hl = lens.readUInt32LE(0);
      const bl = lens.readUInt32LE(4);
      const head = Buffer.alloc(hl);
      readSync(f.fd, head, 0, hl, pos + 8);
      const h = JSON.parse(head.toString()) as { k: SpooledStatement['kind']; v: number; s: string; o: number; l: number; a?: number };
      const sql = Buffer.allocUnsafe(bl);
      readSync(f.fd, sql, 0, bl, pos + 8 + hl);
      yield { table, kind: h.k, sql, sessionVersion: h.v, sessionSql: h.s, offset: h.o, line: h.l, valuesAt: h.a };
      pos += 8 + hl + bl;
    }
  }

  /** Forgets a table's statements (loaded, or dropped by the dump). */
  discard(table: string): void {
    const f = this.files.get(table);
    if (!f) return;
    closeSync(f.fd);
    unlinkSync(f.path);
    this.files.delete(table);
  }

  dispose(): void {
    for (const f of this.files.values()) closeSync(f.fd);
    this.files.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
