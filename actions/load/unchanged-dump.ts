/**
 * The same dump again (a rerun of the morning, a retry after a failed build): when every byte of
 * a plain local dump hashes to the fingerprint recorded with the published staging schema, and
 * that schema still holds exactly what that load published (every table with its content hash,
 * the same views), there is nothing to parse, check or load: the outcome is the recorded one,
 * every table unchanged. Anything else (another size, one byte, a table reloaded or dropped since,
 * `--force`, `--with-routines`, another loader version or option) takes the ordinary path, which
 * skips unchanged tables one by one (unchanged-tables.ts).
 *
 * The file is hashed on another thread from the start of the load (file-hash.ts: SHA-256, 1.4 GB/s
 * with the CPU's SHA extensions), while modules load, the server is probed or the dump parsed;
 * the hash is waited for only when the file has the recorded size, or to record it after a load.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Db } from '../platform/db.ts';
import type { FileHash } from './file-hash.ts';
import { type DumpFingerprint, loadedFingerprint, type RecordedLoad } from '../platform/load-hashes.ts';
import type { SwapPlan } from '../platform/shadow-swap.ts';
import type { ServerProbe } from './server-probe.ts';
import { LOADER_HASH_VERSION } from './statement-dispatch.ts';

/** A dump's fingerprint: the loader version, the options that change what it loads as, its bytes' hash. */
export function fingerprintOf(o: { withRoutines: boolean; flavor: ServerProbe['flavor'] }, file: FileHash): string {
  return createHash('sha256')
    .update(`${LOADER_HASH_VERSION}\0routines=${o.withRoutines}\0${JSON.stringify(o.flavor)}\0${file.size}\0${file.sha256}`)
    .digest('hex');
}

/** What the published schema holds now, as the probe saw it. */
type Published = Pick<ServerProbe, 'previous' | 'published' | 'publishedViews' | 'flavor'>;

/**
 * The recorded outcome when `dumpFile` is the dump the published schema was last loaded from,
 * and still holds; undefined otherwise.
 */
export async function unchangedDump(
  db: Db,
  o: { metaSchema: string; target: string; dumpFile: string; fileHash: Promise<FileHash>; withRoutines: boolean },
  server: Published,
): Promise<DumpFingerprint | undefined> {
  // Triggers and routines are not compared with what is published: such a load takes the ordinary path.
  if (o.withRoutines) return undefined;
  const recorded = await loadedFingerprint(db, o.metaSchema, o.target);
  if (!recorded || recorded.bytes !== statSync(o.dumpFile).size) return undefined;
  if (!stillPublished(recorded.outcome, server)) return undefined;
  const hash = fingerprintOf({ withRoutines: o.withRoutines, flavor: server.flavor }, await o.fileHash);
  return hash === recorded.hash ? recorded : undefined;
}

function stillPublished(outcome: RecordedLoad, server: Published): boolean {
  const tables = outcome.tables.filter((t) => t.status === 'loaded' || t.status === 'unchanged');
  if (tables.length !== server.published.size || outcome.views.length !== server.publishedViews.size) return false;
  return (
    tables.every((t) => t.hash !== undefined && server.published.has(t.table) && server.previous.get(t.table)?.hash === t.hash) &&
    outcome.views.every((v) => server.publishedViews.has(v))
  );
}

/** The swap of an identical dump: every table stays, no view or routine is recreated. */
export function unchangedPlan(names: { target: string; shadow: string; old: string }, outcome: RecordedLoad): SwapPlan {
  return {
    ...names,
    replace: [],
    drop: [],
    unchanged: outcome.tables.filter((t) => t.status !== 'dropped').map((t) => t.table),
    dropViews: [],
    objects: [],
  };
}
