/** Building dbt-style NodeResults (run_results.json `results`) for models and seeds. */
import type { NodeResult } from './run-results.ts';

export interface Timed {
  startedAt: Date;
  compiledAt?: Date;
  completedAt: Date;
}

export function nodeResult(
  unique_id: string,
  status: NodeResult['status'],
  t: Timed,
  o: {
    message?: string | null;
    rows?: number;
    file?: string;
    relation?: string;
    compiledCode?: string;
    adapter?: Record<string, number>;
  } = {},
): NodeResult {
  const iso = (d: Date) => d.toISOString();
  const timing: NodeResult['timing'] = [];
  if (t.compiledAt) {
    timing.push({ name: 'compile', started_at: iso(t.startedAt), completed_at: iso(t.compiledAt) });
    timing.push({ name: 'execute', started_at: iso(t.compiledAt), completed_at: iso(t.completedAt) });
  } else {
    timing.push({ name: 'execute', started_at: iso(t.startedAt), completed_at: iso(t.completedAt) });
  }
  return {
    unique_id,
    status,
    timing,
    execution_time: (t.completedAt.getTime() - t.startedAt.getTime()) / 1000,
    message: o.message ?? null,
    failures: null,
    adapter_response: { ...(o.rows === undefined ? {} : { rows_affected: o.rows }), ...(o.adapter ?? {}) },
    ...(o.file ? { file: o.file } : {}),
    ...(o.relation ? { relation: o.relation } : {}),
    ...(o.compiledCode !== undefined ? { compiled_code: o.compiledCode } : {}),
  };
}

/** Runs `fn` over items with at most `limit` at once, keeping the input order in the output. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
