/**
 * The checks between loading and publishing: every loaded table holds as many rows as the dump
 * gave it, and the dump's views and routines compile in the shadow. Either failing leaves the
 * published schema untouched.
 */
import { qualified, type Db } from '../platform/db.ts';
import { PipelineError } from '../platform/errors.ts';
import { createObjects, type SwapPlan } from '../platform/shadow-swap.ts';
import type { TableState } from './load-jobs.ts';

/**
 * Counted, not taken from the server's affected rows: with unique checks off, MariaDB's bulk
 * insert into an empty table reports every row of an INSERT IGNORE with duplicates as inserted
 * and keeps none.
 */
export async function auditRowCounts(db: Db, shadow: string, loaded: readonly TableState[]): Promise<void> {
  for (const t of loaded) {
    const [{ n }] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${qualified(shadow, t.name)}`);
    if (Number(n) !== t.rows) {
      throw new PipelineError(
        `table ${t.name}: the server holds ${n} rows but the dump gave ${t.rows} (from line ${t.firstLine}). Rows were merged or lost (duplicate keys?). The published schema is unchanged. To fix this, check the table's INSERTs in the dump.`,
      );
    }
  }
}

/**
 * Views and routines are created in the shadow first, then dropped again: their definitions must
 * compile before anything is published. Unchanged tables are not in the shadow: empty copies of
 * their structure stand in meanwhile.
 */
export async function compileObjects(db: Db, plan: SwapPlan): Promise<void> {
  if (!plan.objects.length) return;
  const { shadow, target, unchanged, objects } = plan;
  await db
    .withSession(async (s) => {
      for (const t of unchanged) await s.exec(`CREATE TABLE ${qualified(shadow, t)} LIKE ${qualified(target, t)}`);
      await createObjects(s, plan, true, shadow);
      for (const o of objects) if (o.type !== 'VIEW') await s.exec(`DROP ${o.type} IF EXISTS ${qualified(shadow, o.name)}`);
      for (const o of objects) if (o.type === 'VIEW') await s.exec(`DROP VIEW IF EXISTS ${qualified(shadow, o.name)}`);
      for (const t of unchanged) await s.exec(`DROP TABLE IF EXISTS ${qualified(shadow, t)}`);
    })
    .catch((err) => {
      throw new PipelineError(
        `a view or routine of the dump does not compile: ${(err as Error).message}. The published schema is unchanged. To fix this, check its definition in the dump.`,
        { cause: err },
      );
    });
}
