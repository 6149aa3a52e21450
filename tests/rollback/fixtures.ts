/**
 * A fully configured production cluster in the RDS stand-in: every setting a restore could lose
 * is set away from AWS's default, with a writer, two readers of other classes and tiers, and two
 * custom endpoints. And the engine context the tests run with (fake clock, retries, a memory log).
 */
import { PipelineError } from '../../actions/platform/errors.ts';
import { createMemoryLogger } from '../../actions/platform/log.ts';
import { withRetries } from '../../actions/rollback/rds-retry.ts';
import type { DailySchedule } from '../../actions/rollback/schedule.ts';
import type { RollbackContext } from '../../actions/rollback/steps.ts';
import type { Budget } from '../../actions/rollback/waits.ts';
import type { RdsApi } from '../../actions/rollback/rds-api.ts';
import { RdsStandIn } from './rds-stand-in.ts';
import { FakeClock } from './stand-in-faults.ts';

export const SOURCE = 'tokyobeta-prod-aurora-cluster-public';
export const WRITER = 'tokyobeta-prod-aurora-instance-1';
export const READER_1 = 'tokyobeta-prod-aurora-reader-1';
export const READER_2 = 'tokyobeta-prod-aurora-reader-2';
/** The fake clock starts here: 2026-02-05 12:00 UTC, the source keeps 7 days of backups. */
export const START = Date.parse('2026-02-05T12:00:00Z');
export const BAD_PUBLISH = new Date('2026-02-05T10:52:00Z');

export function productionStandIn(): RdsStandIn {
  const rds = new RdsStandIn(new FakeClock(START));
  const monitoring = 'arn:aws:iam::123456789012:role/rds-monitoring-role';
  rds.addCluster({
    DBClusterIdentifier: SOURCE,
    Status: 'available',
    Engine: 'aurora-mysql',
    EngineVersion: '8.0.mysql_aurora.3.05.2',
    Port: 3307,
    DBSubnetGroup: 'tokyobeta-public-subnets',
    VpcSecurityGroups: [
      { VpcSecurityGroupId: 'sg-0bb', Status: 'active' },
      { VpcSecurityGroupId: 'sg-0aa', Status: 'active' },
    ],
    DBClusterParameterGroup: 'tokyobeta-aurora-mysql8',
    IAMDatabaseAuthenticationEnabled: true,
    DeletionProtection: true,
    BacktrackWindow: 86400,
    EnabledCloudwatchLogsExports: ['audit', 'error', 'slowquery'],
    CopyTagsToSnapshot: true,
    StorageType: 'aurora-iopt1',
    StorageEncrypted: true,
    KmsKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/prod-key',
    BackupRetentionPeriod: 7,
    PreferredBackupWindow: '18:00-18:30',
    PreferredMaintenanceWindow: 'sun:19:00-sun:19:30',
    HttpEndpointEnabled: true,
    NetworkType: 'IPV4',
    AssociatedRoles: [{ RoleArn: 'arn:aws:iam::123456789012:role/aurora-s3-load', FeatureName: 's3Import', Status: 'ACTIVE' }],
    EarliestRestorableTime: new Date(START - 7 * 86400_000),
    LatestRestorableTime: new Date(START - 5 * 60_000),
    TagList: [
      { Key: 'cost-center', Value: 'analytics' },
      { Key: 'backup-plan', Value: 'daily-35d' },
    ],
  });
  const common = {
    DBClusterIdentifier: SOURCE,
    Engine: 'aurora-mysql',
    DBInstanceStatus: 'available',
    DBParameterGroups: [{ DBParameterGroupName: 'tokyobeta-aurora-mysql8-instance', ParameterApplyStatus: 'in-sync' }],
    PubliclyAccessible: true,
    MonitoringInterval: 60,
    MonitoringRoleArn: monitoring,
    PerformanceInsightsEnabled: true,
    PerformanceInsightsKMSKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/pi-key',
    PerformanceInsightsRetentionPeriod: 31,
    CACertificateIdentifier: 'rds-ca-ecc384-g1',
    AutoMinorVersionUpgrade: false,
    PreferredMaintenanceWindow: 'sun:20:00-sun:20:30',
    TagList: [{ Key: 'cost-center', Value: 'analytics' }],
  };
  rds.addInstance(
    { ...common, DBInstanceIdentifier: WRITER, DBInstanceClass: 'db.r6g.large', PromotionTier: 0, AvailabilityZone: 'ap-northeast-1a' },
    true,
  );
  rds.addInstance(
    { ...common, DBInstanceIdentifier: READER_1, DBInstanceClass: 'db.r6g.large', PromotionTier: 1, AvailabilityZone: 'ap-northeast-1c' },
    false,
  );
  rds.addInstance(
    {
      ...common,
      DBInstanceIdentifier: READER_2,
      DBInstanceClass: 'db.r6g.xlarge',
      PromotionTier: 15,
      AvailabilityZone: 'ap-northeast-1d',
      PerformanceInsightsEnabled: false,
    },
    false,
  );
  rds.addEndpoint({
    DBClusterEndpointIdentifier: 'tokyobeta-bi',
    DBClusterIdentifier: SOURCE,
    CustomEndpointType: 'READER',
    StaticMembers: [READER_2],
  });
  rds.addEndpoint({
    DBClusterEndpointIdentifier: 'tokyobeta-etl',
    DBClusterIdentifier: SOURCE,
    CustomEndpointType: 'ANY',
    ExcludedMembers: [READER_2],
  });
  return rds;
}

/** A daily schedule that records what was done to it; `failPause` makes pausing fail. */
export function recordingSchedule(failPause = false): DailySchedule & { events: string[] } {
  const events: string[] = [];
  return {
    name: 'workflow daily-etl.yml of tokyobeta/pipeline',
    events,
    async pause() {
      if (failPause) throw new PipelineError('disabling daily-etl.yml failed (403 Resource not accessible by integration)');
      events.push('pause');
    },
    async resume() {
      events.push('resume');
    },
  };
}

export class Killed extends Error {}

/**
 * The engine's context over the stand-in. `killAfterCalls`: the process dies right after that
 * many RDS calls have reached the service (the call took effect; the run never learns the answer).
 */
export function engine(rds: RdsStandIn, o: { budget?: Budget; killAfterCalls?: number } = {}): RollbackContext & { lines: string[] } {
  const log = createMemoryLogger();
  let api: RdsApi = withRetries(rds, { clock: rds.clock, backoffMs: 200 });
  if (o.killAfterCalls !== undefined) {
    let left = o.killAfterCalls;
    const inner = api;
    api = new Proxy(inner, {
      get(target, prop) {
        const v = (target as unknown as Record<string | symbol, unknown>)[prop];
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          const out = await (v as (...a: unknown[]) => Promise<unknown>)(...args);
          if (--left < 0) throw new Killed(`killed after ${o.killAfterCalls} calls`);
          return out;
        };
      },
    });
  }
  return { api, clock: rds.clock, log, budget: o.budget ?? {}, pollSeconds: 30, lines: log.lines };
}
