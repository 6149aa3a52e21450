/**
 * The unchanged-table check. A table loaded before (its content hash is in the metadata schema)
 * and still published is spooled (table-spool.ts) instead of loaded: when the dump moves on, its
 * hash so far is compared with the last load's. Equal: it waits (a later statement for it, in an
 * unusual dump, would still reload it) and is skipped at the end if still equal. Different: its
 * statements are replayed to the connections at once, so changed tables load while the rest of
 * the dump is read.
 */
import type { LoadResult } from '../platform/run-results.ts';
import type { JobSender, TableState } from './load-jobs.ts';
import type { TableSpool } from './table-spool.ts';
import { checkDeferredValues } from './value-checks.ts';

/** What the last load recorded per table (load-hashes.ts). */
export type PreviousLoad = ReadonlyMap<string, { hash: string; rows: number }>;

/** The hash of a table's statements so far, without ending it. */
export function hashSoFar(t: TableState): string {
  return t.hash.copy().digest('hex');
}

/** The dump moved on from `t`: if it was spooled and its hash differs from the last load's, it loads now. */
export async function decideSpooled(
  t: TableState | undefined,
  previous: PreviousLoad,
  spool: TableSpool,
  sender: JobSender,
  refused: LoadResult['refused'],
): Promise<void> {
  if (!t?.spooled) return;
  if (hashSoFar(t) !== previous.get(t.name)?.hash) await replaySpooled(t, spool, sender, refused);
}

/** A spooled table turned out changed: its statements go to the connections now, in dump order. */
export async function replaySpooled(t: TableState, spool: TableSpool, sender: JobSender, refused: LoadResult['refused']): Promise<void> {
  t.spooled = false;
  t.rows = 0;
  for (const s of spool.read(t.name)) {
    const session = { version: s.sessionVersion + 1_000_000, sql: s.sessionSql };
    const at = { offset: s.offset, line: s.line };
    if (s.kind === 'insert') {
      let rows = s.rows;
      let plain = s.plain;
      if (s.valuesAt !== undefined) {
        const checked = checkDeferredValues(s.table, s.sql, s.valuesAt, at, refused);
        if (!checked) continue;
        ({ rows, plain } = checked);
      }
      t.rows += rows!;
      await sender.insert(t, s.sql, rows!, plain, s.head!, at, session);
      continue;
    }
    const job = {
      sql: s.sql.toString('latin1'),
      table: s.table,
      what: s.kind === 'create-table' ? 'CREATE TABLE' : 'ALTER TABLE',
      ...at,
      session,
    };
    if (s.kind === 'create-table') t.created = (await sender.submit(t, job)).done;
    else await sender.submit(t, job, t.tail);
  }
  spool.discard(t.name);
}
