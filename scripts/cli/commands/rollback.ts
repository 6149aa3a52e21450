import type { CommandDef } from '../command.ts';
import { createRdsApi } from '../../../actions/rollback/rds-api.ts';
import { renderRestore, renderStatus } from '../../../actions/rollback/render.ts';
import { runRestore } from '../../../actions/rollback/restore.ts';
import { readRecentRuns, readRollbackStatus } from '../../../actions/rollback/status.ts';
import { createRdsClient, regionFrom } from '../aws-clients.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { UsageError } from '../../../actions/platform/errors.ts';
import type { ParsedOptions } from '../command.ts';
import { parseIsoTime } from '../values.ts';

export interface RollbackOptions {
  action: 'status' | 'restore';
  cluster?: string;
  region?: string;
  to?: Date;
  latest: boolean;
  apply: boolean;
  cutover: boolean;
}

export function readRollbackOptions(o: ParsedOptions, positionals: string[]): RollbackOptions {
  const action = positionals[0] as RollbackOptions['action'];
  const to = o.to === undefined ? undefined : parseIsoTime('to', o.to as string);
  const latest = o.latest === true;
  if (action === 'restore' && !to && !latest) {
    throw new UsageError("'rollback restore' needs --to ISO-TIME or --latest. Run 'pipeline rollback status' to see the restore window.");
  }
  if (to && latest) throw new UsageError('give either --to or --latest, not both');
  if (action === 'status' && (to || latest || o.apply || o.cutover)) {
    throw new UsageError("--to, --latest, --apply and --cutover belong to 'rollback restore', not 'rollback status'");
  }
  return Object.freeze({
    action,
    cluster: o.cluster as string | undefined,
    region: o.region as string | undefined,
    to,
    latest,
    apply: o.apply === true,
    cutover: o.cutover === true,
  });
}

export const rollbackCommand: CommandDef = {
  name: 'rollback',
  positionals: [{ name: 'ACTION', help: 'status or restore', choices: ['status', 'restore'], required: true }],
  options: {
    cluster: { type: 'string', value: 'ID', help: 'Aurora cluster identifier (default: rollback.cluster in pipeline.yml)' },
    region: { type: 'string', value: 'REGION', help: 'AWS region (default: rollback.region in pipeline.yml, then AWS_REGION)' },
    to: { type: 'string', value: 'ISO-TIME', help: 'restore: the time to restore to, e.g. 2026-02-05T01:40:00Z' },
    latest: { type: 'boolean', help: 'restore: to the latest restorable time' },
    apply: { type: 'boolean', help: 'restore: really create the restored cluster (default: print what would be done)' },
    cutover: { type: 'boolean', help: 'restore: then rename the clusters so the original endpoint serves the restored data' },
  },
  examples: ['pipeline rollback status', 'pipeline rollback restore --to 2026-02-05T01:40:00Z --apply'],
  run: async (ctx, options, positionals) => runRollback(ctx, readRollbackOptions(options, positionals)),
};

async function runRollback(ctx: CliContext, o: RollbackOptions): Promise<number> {
  const config = ctx.config();
  const cluster = o.cluster ?? config.rollback.cluster;
  if (!cluster) throw new UsageError('no cluster to roll back: pass --cluster ID or set rollback.cluster in pipeline.yml');
  const region = regionFrom(ctx.io.env, o.region, config.rollback.region);
  const client = createRdsClient(region);
  try {
    const api = createRdsApi(client, { region });
    if (o.action === 'status') {
      const status = await readRollbackStatus(api, {
        cluster,
        runs: async () => readRecentRuns(await ctx.db(), ctx.schemas().meta),
      });
      ctx.print(renderStatus(status));
      return 0;
    }
    if (o.cutover && !o.apply) ctx.log.info('--cutover without --apply: showing the renames it would do');
    const report = await runRestore(
      api,
      { cluster, target: o.to ? { kind: 'time', time: o.to } : { kind: 'latest' }, apply: o.apply, cutover: o.cutover },
      ctx.log,
    );
    ctx.print(renderRestore(report));
    return report.status === 'error' ? 1 : 0;
  } finally {
    client.destroy();
  }
}
