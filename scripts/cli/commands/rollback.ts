/**
 * `pipeline rollback status | restore (--to ISO-TIME | --latest) [--apply] [--cutover] | cutover
 * [--apply] | abort [--apply]`: reads argv once into frozen options, builds the RDS client with
 * retries and the run's time budget (credentials' expiry, --time-limit), and calls the engine in
 * actions/rollback. Every command is a dry run unless --apply.
 */
import type { CommandDef, ParsedOptions } from '../command.ts';
import { runAbort } from '../../../actions/rollback/abort.ts';
import { realClock, type Clock } from '../../../actions/rollback/clock.ts';
import { runCutover, type OldClusterAction } from '../../../actions/rollback/cutover.ts';
import { systemDns } from '../../../actions/rollback/dns.ts';
import type { RdsApi } from '../../../actions/rollback/rds-api.ts';
import { withRetries } from '../../../actions/rollback/rds-retry.ts';
import { createSdkRdsApi } from '../../../actions/rollback/rds-sdk.ts';
import { renderAbort, renderCutover, renderRestore, renderStatus } from '../../../actions/rollback/render.ts';
import type { RestoreTarget } from '../../../actions/rollback/restore-plan.ts';
import { runRestore } from '../../../actions/rollback/restore.ts';
import type { DailySchedule, Dns } from '../../../actions/rollback/schedule.ts';
import { readRecentRuns, readRollbackStatus } from '../../../actions/rollback/status.ts';
import type { Outcome, RollbackContext } from '../../../actions/rollback/steps.ts';
import { budgetFrom } from '../../../actions/rollback/waits.ts';
import { createRdsClient, credentialsExpiry, loadRdsSdk, regionFrom } from '../aws-clients.ts';
import type { CliContext } from '../../../actions/platform/run-context.ts';
import { UsageError } from '../../../actions/platform/errors.ts';
import { parseInteger, parseIsoTime } from '../values.ts';

const ACTIONS = ['status', 'restore', 'cutover', 'abort'] as const;
const OLD_CLUSTER = ['stop', 'read-only', 'keep'] as const;

export interface RollbackOptions {
  action: (typeof ACTIONS)[number];
  cluster?: string;
  region?: string;
  to?: Date;
  latest: boolean;
  apply: boolean;
  cutover: boolean;
  acceptLoss: string[];
  oldCluster: OldClusterAction;
  readOnlyParameterGroup?: string;
  /** Minutes this run may take (the job's timeout less what ran before); undefined: no limit. */
  timeLimitMinutes?: number;
  resumeSchedule: boolean;
}

/** What the rollback command talks to. The GitHub action sets the schedule; tests set stand-ins. */
export interface RollbackServices {
  /** The RDS API without retries (they are added here). Default: the SDK client. */
  rds?: (region: string) => { api: RdsApi; close(): void };
  clock: Clock;
  dns: Dns;
  schedule?: DailySchedule;
  /** Seconds between polls. Default 30. */
  pollSeconds?: number;
}

let services: RollbackServices = { clock: realClock, dns: systemDns };

/** Replaces some of the services (the action's schedule, the tests' stand-ins); returns the previous ones. */
export function setRollbackServices(next: Partial<RollbackServices>): RollbackServices {
  const before = services;
  services = { ...services, ...next };
  return before;
}

export function restoreServices(saved: RollbackServices): void {
  services = saved;
}

/** An ISO time with its offset: a bare 2026-02-05T10:00 is refused, not read in this machine's zone. */
export function parseUtcTime(option: string, value: string): Date {
  const time = parseIsoTime(option, value.trim());
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim())) {
    throw new UsageError(
      `--${option} '${value}' has no time zone. To fix this, write it in UTC with a Z (e.g. 2026-02-05T01:40:00Z) or with its offset (2026-02-05T10:40:00+09:00).`,
    );
  }
  return time;
}

export function readRollbackOptions(o: ParsedOptions, positionals: string[]): RollbackOptions {
  const action = positionals[0] as RollbackOptions['action'];
  const to = o.to === undefined ? undefined : parseUtcTime('to', o.to as string);
  const latest = o.latest === true;
  if (action === 'restore' && !to && !latest) {
    throw new UsageError("'rollback restore' needs --to ISO-TIME or --latest. Run 'pipeline rollback status' to see the restore window.");
  }
  if (to && latest) throw new UsageError('give either --to or --latest, not both');
  if (action === 'status' && (to || latest || o.apply || o.cutover)) {
    throw new UsageError("--to, --latest, --apply and --cutover belong to 'rollback restore', not 'rollback status'");
  }
  if (o.cutover && action !== 'restore')
    throw new UsageError("--cutover belongs to 'rollback restore'; 'rollback cutover' is the rename alone");
  const oldCluster = (o['old-cluster'] as string | undefined) ?? 'stop';
  if (!(OLD_CLUSTER as readonly string[]).includes(oldCluster))
    throw new UsageError(`--old-cluster '${oldCluster}' is not one of: ${OLD_CLUSTER.join(', ')}`);
  const readOnlyParameterGroup = o['read-only-parameter-group'] as string | undefined;
  if (oldCluster === 'read-only' && !readOnlyParameterGroup)
    throw new UsageError(
      '--old-cluster read-only needs --read-only-parameter-group NAME: a DB parameter group with read_only = 1 (docs/operations.md shows how to make it)',
    );
  const acceptLoss = ((o['accept-loss'] as string | undefined) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return Object.freeze({
    action,
    cluster: o.cluster as string | undefined,
    region: o.region as string | undefined,
    to,
    latest,
    apply: o.apply === true,
    cutover: o.cutover === true,
    acceptLoss,
    oldCluster: oldCluster as OldClusterAction,
    readOnlyParameterGroup,
    timeLimitMinutes: o['time-limit'] === undefined ? undefined : parseInteger('time-limit', o['time-limit'] as string, 1, 100_000),
    resumeSchedule: o['keep-schedule-paused'] !== true,
  });
}

export const rollbackCommand: CommandDef = {
  name: 'rollback',
  positionals: [{ name: 'ACTION', help: 'status, restore, cutover or abort', choices: [...ACTIONS], required: true }],
  options: {
    cluster: { type: 'string', value: 'ID', help: 'Aurora cluster identifier (default: rollback.cluster in pipeline.yml)' },
    region: { type: 'string', value: 'REGION', help: 'AWS region (default: rollback.region in pipeline.yml, then AWS_REGION)' },
    to: {
      type: 'string',
      value: 'ISO-TIME',
      help: 'restore: the time to restore to, with its offset, e.g. 2026-02-05T01:40:00Z; cutover/abort: which restore',
    },
    latest: { type: 'boolean', help: 'restore: to the latest restorable time (resolved once; a rerun goes on with that restore)' },
    apply: { type: 'boolean', help: 'really do it (default: print what would be done)' },
    cutover: { type: 'boolean', help: 'restore: once restored, cut over (as rollback cutover)' },
    'accept-loss': {
      type: 'string',
      value: 'KEYS',
      help: 'restore: go on without what cannot be carried, e.g. activity-stream (the preflight names them)',
    },
    'old-cluster': {
      type: 'string',
      value: 'stop|read-only|keep',
      help: 'cutover: what becomes of the old cluster once the endpoint moved (default stop)',
    },
    'read-only-parameter-group': {
      type: 'string',
      value: 'NAME',
      help: 'cutover with --old-cluster read-only: a DB parameter group with read_only = 1',
    },
    'time-limit': {
      type: 'string',
      value: 'MINUTES',
      help: 'stop cleanly (resumable) before this many minutes; also before AWS_CREDENTIAL_EXPIRATION',
    },
    'keep-schedule-paused': { type: 'boolean', help: 'cutover in Actions: leave the daily workflow disabled afterwards' },
  },
  examples: [
    'pipeline rollback status',
    'pipeline rollback restore --to 2026-02-05T01:40:00Z --apply',
    'pipeline rollback cutover --apply',
    'pipeline rollback abort --apply',
  ],
  run: async (ctx, options, positionals) => runRollback(ctx, readRollbackOptions(options, positionals)),
};

const EXIT: Record<Outcome, number> = { 'dry-run': 0, success: 0, refused: 2, error: 1, incomplete: 1 };

async function runRollback(ctx: CliContext, o: RollbackOptions): Promise<number> {
  const config = ctx.config();
  const cluster = o.cluster ?? config.rollback.cluster;
  if (!cluster) throw new UsageError('no cluster to roll back: pass --cluster ID or set rollback.cluster in pipeline.yml');
  const region = regionFrom(ctx.io.env, o.region, config.rollback.region);
  const s = services;
  if (!s.rds) await loadRdsSdk();
  const client = s.rds ? s.rds(region) : sdkRds(region);
  try {
    const started = s.clock.now();
    const expiry = credentialsExpiry(ctx.io.env);
    const budget = budgetFrom([
      { at: expiry?.getTime(), reason: `the AWS credentials expire (${expiry?.toISOString()})` },
      {
        at: o.timeLimitMinutes === undefined ? undefined : started + o.timeLimitMinutes * 60_000,
        reason: `the --time-limit of ${o.timeLimitMinutes} minutes`,
      },
    ]);
    if (budget.deadline !== undefined)
      ctx.log.info(`time budget: until ${new Date(budget.deadline).toISOString()} (5 minutes before ${budget.reason})`);
    const rc: RollbackContext = {
      api: withRetries(client.api, { clock: s.clock, onRetry: (op, err, n) => ctx.log.warn(`${op}: ${err}, retrying (attempt ${n + 1})`) }),
      clock: s.clock,
      log: ctx.log,
      budget,
      pollSeconds: s.pollSeconds,
    };
    const target: RestoreTarget | undefined = o.to ? { kind: 'time', time: o.to } : o.latest ? { kind: 'latest' } : undefined;
    const cutoverOptions = {
      cluster,
      target,
      apply: o.apply,
      oldCluster: o.oldCluster,
      readOnlyParameterGroup: o.readOnlyParameterGroup,
      schedule: s.schedule,
      resumeSchedule: o.resumeSchedule,
      dns: s.dns,
    };
    switch (o.action) {
      case 'status': {
        const status = await readRollbackStatus(rc.api, { cluster, runs: async () => readRecentRuns(await ctx.db(), ctx.schemas().meta) });
        ctx.print(renderStatus(status));
        return 0;
      }
      case 'restore': {
        const report = await runRestore(rc, { cluster, target: target!, apply: o.apply, acceptLoss: o.acceptLoss });
        ctx.print(renderRestore(report));
        if (!o.cutover || report.outcome !== 'success') {
          if (o.cutover && !o.apply) ctx.print("With --apply, once restored, 'rollback cutover' runs next (see its dry run).\n");
          return EXIT[report.outcome];
        }
        const cut = await runCutover(rc, { ...cutoverOptions, target: { kind: 'time', time: report.plan.time } });
        ctx.print(renderCutover(cut));
        return EXIT[cut.outcome];
      }
      case 'cutover': {
        const cut = await runCutover(rc, cutoverOptions);
        ctx.print(renderCutover(cut));
        return EXIT[cut.outcome];
      }
      case 'abort': {
        const report = await runAbort(rc, { cluster, target, apply: o.apply });
        ctx.print(renderAbort(report));
        return EXIT[report.outcome];
      }
    }
  } finally {
    client.close();
  }
}

function sdkRds(region: string) {
  const client = createRdsClient(region);
  return { api: createSdkRdsApi(client, region), close: () => client.destroy() };
}
