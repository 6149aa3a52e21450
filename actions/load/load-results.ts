/**
 * Results: what the load did per table (loaded, unchanged, dropped by the vendor), and the swap
 * plan that publishes it (shadow-swap.ts). Pure: built from the dispatch state, no I/O.
 */
import type { LoadResult, LoadTableResult } from '../platform/run-results.ts';
import type { SwapPlan } from '../platform/shadow-swap.ts';
import type { StatementDispatch } from './statement-dispatch.ts';
import type { PreviousLoad } from './unchanged-tables.ts';

export function tableResults(
  d: StatementDispatch,
  unchanged: ReadonlySet<string>,
  hashes: ReadonlyMap<string, string>,
  previous: PreviousLoad,
  published: ReadonlySet<string>,
): LoadTableResult[] {
  const results: LoadTableResult[] = [];
  for (const name of d.order) {
    const t = d.tables.get(name)!;
    const isUnchanged = unchanged.has(name);
    results.push({
      table: name,
      rows: isUnchanged ? previous.get(name)!.rows : t.rows,
      bytes: t.bytes,
      seconds: isUnchanged ? 0 : round(((t.finished ?? Date.now()) - t.started) / 1000),
      ...(isUnchanged ? {} : { serverSeconds: round(t.serverSeconds) }),
      status: isUnchanged ? 'unchanged' : 'loaded',
      hash: hashes.get(name),
    });
  }
  for (const name of published)
    if (!d.tables.has(name))
      results.push({
        table: name,
        rows: 0,
        bytes: 0,
        seconds: 0,
        status: 'dropped',
        message: 'not in the dump any more: removed from the schema',
      });
  return results;
}

export function swapPlanOf(
  d: StatementDispatch,
  names: { target: string; shadow: string; old: string },
  unchanged: ReadonlySet<string>,
  published: ReadonlySet<string>,
  publishedViews: ReadonlySet<string>,
): SwapPlan {
  const viewNames = new Set(d.objects.filter((x) => x.type === 'VIEW').map((x) => x.name));
  return {
    ...names,
    replace: d.order.filter((n) => !unchanged.has(n)),
    drop: [...published].filter((n) => !d.tables.has(n)),
    unchanged: d.order.filter((n) => unchanged.has(n)),
    dropViews: [...publishedViews].filter((v) => !viewNames.has(v) && !d.tables.has(v)),
    objects: d.objects,
  };
}

export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The result of a load that failed before it loaded anything: what run_results.json records. */
export function failedLoadResult(source: string, schema: string, message: string, seconds = 0): LoadResult {
  return {
    source,
    schema,
    bytes: 0,
    seconds,
    tables: [],
    refused: [],
    skippedRoutines: 0,
    collationMappings: [],
    published: false,
    error: message,
  };
}
