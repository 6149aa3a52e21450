/**
 * Everything a source cluster and its instances have, and how a restore keeps it. A
 * point-in-time restore copies the data only: whatever is not passed gets AWS's default (IAM
 * authentication off, deletion protection off, backtrack 0, no log exports, Aurora Standard
 * storage, no tags, no instances). So each setting is passed to RestoreDBClusterToPointInTime or
 * CreateDBInstance where the API takes it, re-applied with ModifyDBCluster/ModifyDBInstance where
 * it does not, and compared afterwards: `clusterSettings`/`instanceSettings` are the one list of
 * what "the same" means. What no call can carry is a `Loss` the preflight names.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterToPointInTime.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html
 */
import type {
  CreateDBInstanceCommandInput,
  DBCluster,
  DBInstance,
  ModifyDBClusterCommandInput,
  ModifyDBInstanceCommandInput,
  RestoreDBClusterToPointInTimeCommandInput,
  Tag,
} from './rds-api.ts';

/** Tags the pipeline puts on what it creates; never copied from a source. */
export const TAG_PREFIX = 'tokyobeta-pipeline:';
export const TAG_RESTORED_FROM = `${TAG_PREFIX}restored-from`;
export const TAG_RESTORED_TO = `${TAG_PREFIX}restored-to`;
/** 'time' (--to) or 'latest' (--latest, resolved once to restored-to). */
export const TAG_REQUESTED = `${TAG_PREFIX}requested`;

/**
 * The source's custom endpoints, recorded on the restored cluster at the restore: the cutover
 * deletes each from the old cluster before creating it again (endpoint names are unique in a
 * region), and a run killed in between must still know what to create. Value:
 * `<type>;<static member indexes>;<excluded member indexes>`, indexes into the copies' order.
 */
export const TAG_ENDPOINT = `${TAG_PREFIX}endpoint:`;

export interface EndpointSpec {
  identifier: string;
  type: string;
  /** Indexes of the copies (0 the writer, n the nth reader). */
  staticMembers: number[];
  excludedMembers: number[];
}

export function endpointTag(e: EndpointSpec): Tag {
  return { Key: `${TAG_ENDPOINT}${e.identifier}`, Value: `${e.type};${e.staticMembers.join(',')};${e.excludedMembers.join(',')}` };
}

export function endpointsFromTags(tags: Tag[] | undefined): EndpointSpec[] {
  const nums = (s: string | undefined) => (s ? s.split(',').map(Number) : []);
  return (tags ?? [])
    .filter((t) => t.Key?.startsWith(TAG_ENDPOINT))
    .map((t) => {
      const [type, st, ex] = (t.Value ?? '').split(';');
      return { identifier: t.Key!.slice(TAG_ENDPOINT.length), type: type || 'ANY', staticMembers: nums(st), excludedMembers: nums(ex) };
    });
}

export type Settings = Record<string, string>;

const sorted = (xs: Array<string | undefined> | undefined) =>
  (xs ?? [])
    .filter((x): x is string => !!x)
    .sort()
    .join(',');
const tagText = (tags: Tag[] | undefined) =>
  sorted((tags ?? []).filter((t) => !t.Key?.startsWith(TAG_PREFIX)).map((t) => `${t.Key}=${t.Value ?? ''}`));
const text = (v: unknown, dflt = '') => (v === undefined || v === null ? dflt : String(v));

export function ownTags(tags: Tag[] | undefined): Tag[] {
  return (tags ?? []).filter((t) => t.Key && !t.Key.startsWith(TAG_PREFIX));
}

export function tagValue(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/** A cluster's settings that a restore must keep, with AWS's defaults filled in (so a dropped one shows). */
export function clusterSettings(c: DBCluster): Settings {
  return {
    Engine: text(c.Engine),
    EngineVersion: text(c.EngineVersion),
    Port: text(c.Port, '3306'),
    DBSubnetGroup: text(c.DBSubnetGroup, 'default'),
    VpcSecurityGroups: sorted(c.VpcSecurityGroups?.map((g) => g.VpcSecurityGroupId)),
    DBClusterParameterGroup: text(c.DBClusterParameterGroup, 'default.aurora-mysql8.0'),
    IAMDatabaseAuthenticationEnabled: text(c.IAMDatabaseAuthenticationEnabled, 'false'),
    DeletionProtection: text(c.DeletionProtection, 'false'),
    BacktrackWindow: text(c.BacktrackWindow, '0'),
    EnabledCloudwatchLogsExports: sorted(c.EnabledCloudwatchLogsExports),
    CopyTagsToSnapshot: text(c.CopyTagsToSnapshot, 'false'),
    StorageType: text(c.StorageType, 'aurora'),
    StorageEncrypted: text(c.StorageEncrypted, 'false'),
    KmsKeyId: text(c.KmsKeyId),
    BackupRetentionPeriod: text(c.BackupRetentionPeriod, '1'),
    PreferredBackupWindow: text(c.PreferredBackupWindow),
    PreferredMaintenanceWindow: text(c.PreferredMaintenanceWindow),
    HttpEndpointEnabled: text(c.HttpEndpointEnabled, 'false'),
    ServerlessV2ScalingConfiguration: c.ServerlessV2ScalingConfiguration
      ? `${c.ServerlessV2ScalingConfiguration.MinCapacity}-${c.ServerlessV2ScalingConfiguration.MaxCapacity}`
      : '',
    AssociatedRoles: sorted(c.AssociatedRoles?.map((r) => `${r.RoleArn}${r.FeatureName ? `:${r.FeatureName}` : ''}`)),
    NetworkType: text(c.NetworkType, 'IPV4'),
    Tags: tagText(c.TagList),
  };
}

/** An instance's settings that its copy must keep. */
export function instanceSettings(i: DBInstance): Settings {
  return {
    DBInstanceClass: text(i.DBInstanceClass),
    DBParameterGroup: text(i.DBParameterGroups?.[0]?.DBParameterGroupName, 'default.aurora-mysql8.0'),
    PubliclyAccessible: text(i.PubliclyAccessible, 'false'),
    PromotionTier: text(i.PromotionTier, '1'),
    AvailabilityZone: text(i.AvailabilityZone),
    MonitoringInterval: text(i.MonitoringInterval, '0'),
    MonitoringRoleArn: text(i.MonitoringRoleArn),
    PerformanceInsightsEnabled: text(i.PerformanceInsightsEnabled, 'false'),
    PerformanceInsightsKMSKeyId: text(i.PerformanceInsightsEnabled ? i.PerformanceInsightsKMSKeyId : ''),
    PerformanceInsightsRetentionPeriod: text(i.PerformanceInsightsEnabled ? i.PerformanceInsightsRetentionPeriod : ''),
    CACertificateIdentifier: text(i.CACertificateIdentifier, 'rds-ca-rsa2048-g1'),
    AutoMinorVersionUpgrade: text(i.AutoMinorVersionUpgrade, 'true'),
    PreferredMaintenanceWindow: text(i.PreferredMaintenanceWindow),
    Tags: tagText(i.TagList),
  };
}

/** Settings where `restored` differs from `source`: [name, source's, restored's]. */
export function differences(source: Settings, restored: Settings, skip: readonly string[] = []): Array<[string, string, string]> {
  return Object.keys(source)
    .filter((k) => !skip.includes(k) && source[k] !== restored[k])
    .map((k) => [k, source[k]!, restored[k] ?? ''] as [string, string, string]);
}

/** Something of the source that no API call can carry to a restored cluster. */
export interface Loss {
  /** What --accept-loss names. */
  key: string;
  what: string;
}

export function preflightLosses(src: DBCluster, instances: DBInstance[]): Loss[] {
  const losses: Loss[] = [];
  if (src.GlobalClusterIdentifier)
    losses.push({
      key: 'global-database',
      what: `membership of the global database ${src.GlobalClusterIdentifier} (a restore is a standalone cluster)`,
    });
  if (src.ReplicationSourceIdentifier || src.ReadReplicaIdentifiers?.length)
    losses.push({ key: 'replication', what: 'cross-region or binlog replication to or from the source' });
  if (src.ActivityStreamStatus && src.ActivityStreamStatus !== 'stopped')
    losses.push({ key: 'activity-stream', what: 'the database activity stream (start it again on the restored cluster)' });
  if (src.MasterUserSecret)
    losses.push({
      key: 'managed-master-password',
      what: 'the Secrets Manager secret of the master password (the restored cluster has the password of the restore time)',
    });
  if (src.EngineMode && src.EngineMode !== 'provisioned')
    losses.push({ key: 'engine-mode', what: `engine mode ${src.EngineMode} (restores are provisioned clusters)` });
  if (src.LocalWriteForwardingStatus === 'enabled' || src.LocalWriteForwardingStatus === 'enabling')
    losses.push({ key: 'local-write-forwarding', what: 'local write forwarding (turn it on again on the restored cluster)' });
  for (const i of instances) {
    if (i.ActivityStreamStatus && i.ActivityStreamStatus !== 'stopped')
      losses.push({ key: 'activity-stream', what: `the activity stream of instance ${i.DBInstanceIdentifier}` });
  }
  return losses;
}

export interface RestoreNames {
  cluster: string;
  time: Date;
  requested: 'time' | 'latest';
}

export function restoreTags(src: DBCluster, n: RestoreNames, extra: Tag[] = []): Tag[] {
  return [
    ...ownTags(src.TagList),
    ...extra,
    { Key: TAG_RESTORED_FROM, Value: src.DBClusterIdentifier },
    { Key: TAG_RESTORED_TO, Value: n.time.toISOString() },
    { Key: TAG_REQUESTED, Value: n.requested },
  ];
}

/**
 * RestoreDBClusterToPointInTime with every setting it accepts taken from the source. Always an
 * explicit RestoreToTime (--latest was resolved once), always full-copy: a copy-on-write clone
 * cannot be restored to a chosen time (the API refuses RestoreToTime with it).
 */
export function restoreInput(src: DBCluster, n: RestoreNames, extraTags: Tag[] = []): RestoreDBClusterToPointInTimeCommandInput {
  const domain = src.DomainMemberships?.[0];
  return {
    DBClusterIdentifier: n.cluster,
    SourceDBClusterIdentifier: src.DBClusterIdentifier,
    RestoreType: 'full-copy',
    RestoreToTime: n.time,
    Port: src.Port,
    DBSubnetGroupName: src.DBSubnetGroup,
    VpcSecurityGroupIds: (src.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!).filter(Boolean),
    DBClusterParameterGroupName: src.DBClusterParameterGroup,
    ...(src.DBClusterOptionGroupMemberships?.[0]?.DBClusterOptionGroupName
      ? { OptionGroupName: src.DBClusterOptionGroupMemberships[0].DBClusterOptionGroupName }
      : {}),
    ...(src.KmsKeyId ? { KmsKeyId: src.KmsKeyId } : {}),
    EnableIAMDatabaseAuthentication: src.IAMDatabaseAuthenticationEnabled ?? false,
    ...(src.BacktrackWindow ? { BacktrackWindow: src.BacktrackWindow } : {}),
    ...(src.EnabledCloudwatchLogsExports?.length ? { EnableCloudwatchLogsExports: [...src.EnabledCloudwatchLogsExports] } : {}),
    DeletionProtection: src.DeletionProtection ?? false,
    CopyTagsToSnapshot: src.CopyTagsToSnapshot ?? false,
    ...(src.StorageType ? { StorageType: src.StorageType } : {}),
    ...(src.BackupRetentionPeriod ? { BackupRetentionPeriod: src.BackupRetentionPeriod } : {}),
    ...(src.PreferredBackupWindow ? { PreferredBackupWindow: src.PreferredBackupWindow } : {}),
    ...(src.NetworkType ? { NetworkType: src.NetworkType } : {}),
    ...(src.EngineLifecycleSupport ? { EngineLifecycleSupport: src.EngineLifecycleSupport } : {}),
    ...(domain?.Domain ? { Domain: domain.Domain, DomainIAMRoleName: domain.IAMRoleName } : {}),
    ...(src.ServerlessV2ScalingConfiguration
      ? {
          ServerlessV2ScalingConfiguration: {
            MinCapacity: src.ServerlessV2ScalingConfiguration.MinCapacity,
            MaxCapacity: src.ServerlessV2ScalingConfiguration.MaxCapacity,
          },
        }
      : {}),
    ...(src.AssociatedRoles?.length
      ? {
          AssociatedRoles: src.AssociatedRoles.map((r) => ({
            RoleArn: r.RoleArn,
            ...(r.FeatureName ? { FeatureName: r.FeatureName } : {}),
          })),
        }
      : {}),
    Tags: restoreTags(src, n, extraTags),
  };
}

/** What ModifyDBCluster must still change on the restored cluster (undefined: nothing). */
export function clusterFixes(src: DBCluster, restored: DBCluster): ModifyDBClusterCommandInput | undefined {
  const s = clusterSettings(src);
  const r = clusterSettings(restored);
  const fix: ModifyDBClusterCommandInput = { DBClusterIdentifier: restored.DBClusterIdentifier!, ApplyImmediately: true };
  const differs = (k: string) => s[k] !== r[k];
  if (differs('IAMDatabaseAuthenticationEnabled')) fix.EnableIAMDatabaseAuthentication = src.IAMDatabaseAuthenticationEnabled ?? false;
  if (differs('DeletionProtection')) fix.DeletionProtection = src.DeletionProtection ?? false;
  if (differs('BacktrackWindow')) fix.BacktrackWindow = src.BacktrackWindow ?? 0;
  if (differs('CopyTagsToSnapshot')) fix.CopyTagsToSnapshot = src.CopyTagsToSnapshot ?? false;
  if (differs('StorageType') && src.StorageType) fix.StorageType = src.StorageType;
  if (differs('Port') && src.Port) fix.Port = src.Port;
  if (differs('DBClusterParameterGroup') && src.DBClusterParameterGroup) fix.DBClusterParameterGroupName = src.DBClusterParameterGroup;
  if (differs('VpcSecurityGroups')) fix.VpcSecurityGroupIds = (src.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId!);
  if (differs('BackupRetentionPeriod') && src.BackupRetentionPeriod) fix.BackupRetentionPeriod = src.BackupRetentionPeriod;
  if (differs('PreferredBackupWindow') && src.PreferredBackupWindow) fix.PreferredBackupWindow = src.PreferredBackupWindow;
  if (differs('PreferredMaintenanceWindow') && src.PreferredMaintenanceWindow)
    fix.PreferredMaintenanceWindow = src.PreferredMaintenanceWindow;
  if (differs('HttpEndpointEnabled')) fix.EnableHttpEndpoint = src.HttpEndpointEnabled ?? false;
  if (differs('EnabledCloudwatchLogsExports')) {
    const want = new Set(src.EnabledCloudwatchLogsExports ?? []);
    const have = new Set(restored.EnabledCloudwatchLogsExports ?? []);
    fix.CloudwatchLogsExportConfiguration = {
      EnableLogTypes: [...want].filter((l) => !have.has(l)),
      DisableLogTypes: [...have].filter((l) => !want.has(l)),
    };
  }
  return Object.keys(fix).length > 2 ? fix : undefined;
}

/** CreateDBInstance for the copy of a source instance, in the restored cluster. */
export function instanceInput(src: DBInstance, name: string, cluster: string, tags: Tag[]): CreateDBInstanceCommandInput {
  const pi = src.PerformanceInsightsEnabled === true;
  return {
    DBInstanceIdentifier: name,
    DBClusterIdentifier: cluster,
    DBInstanceClass: src.DBInstanceClass!,
    Engine: src.Engine!,
    ...(src.DBParameterGroups?.[0]?.DBParameterGroupName ? { DBParameterGroupName: src.DBParameterGroups[0].DBParameterGroupName } : {}),
    PubliclyAccessible: src.PubliclyAccessible ?? false,
    ...(src.PromotionTier !== undefined ? { PromotionTier: src.PromotionTier } : {}),
    ...(src.AvailabilityZone ? { AvailabilityZone: src.AvailabilityZone } : {}),
    ...(src.MonitoringInterval ? { MonitoringInterval: src.MonitoringInterval, MonitoringRoleArn: src.MonitoringRoleArn } : {}),
    ...(pi
      ? {
          EnablePerformanceInsights: true,
          ...(src.PerformanceInsightsKMSKeyId ? { PerformanceInsightsKMSKeyId: src.PerformanceInsightsKMSKeyId } : {}),
          ...(src.PerformanceInsightsRetentionPeriod ? { PerformanceInsightsRetentionPeriod: src.PerformanceInsightsRetentionPeriod } : {}),
        }
      : {}),
    ...(src.DatabaseInsightsMode ? { DatabaseInsightsMode: src.DatabaseInsightsMode } : {}),
    ...(src.CACertificateIdentifier ? { CACertificateIdentifier: src.CACertificateIdentifier } : {}),
    ...(src.AutoMinorVersionUpgrade !== undefined ? { AutoMinorVersionUpgrade: src.AutoMinorVersionUpgrade } : {}),
    ...(src.PreferredMaintenanceWindow ? { PreferredMaintenanceWindow: src.PreferredMaintenanceWindow } : {}),
    Tags: [...ownTags(src.TagList), ...tags.filter((t) => t.Key?.startsWith(TAG_PREFIX) && !t.Key.startsWith(TAG_ENDPOINT))],
  };
}

/** What ModifyDBInstance must still change on a copied instance (undefined: nothing). */
export function instanceFixes(src: DBInstance, copy: DBInstance): ModifyDBInstanceCommandInput | undefined {
  const s = instanceSettings(src);
  const c = instanceSettings(copy);
  const fix: ModifyDBInstanceCommandInput = { DBInstanceIdentifier: copy.DBInstanceIdentifier!, ApplyImmediately: true };
  const differs = (k: string) => s[k] !== c[k];
  if (differs('DBInstanceClass')) fix.DBInstanceClass = src.DBInstanceClass;
  if (differs('DBParameterGroup') && src.DBParameterGroups?.[0]?.DBParameterGroupName)
    fix.DBParameterGroupName = src.DBParameterGroups[0].DBParameterGroupName;
  if (differs('PubliclyAccessible')) fix.PubliclyAccessible = src.PubliclyAccessible ?? false;
  if (differs('PromotionTier') && src.PromotionTier !== undefined) fix.PromotionTier = src.PromotionTier;
  if (differs('MonitoringInterval') || differs('MonitoringRoleArn')) {
    fix.MonitoringInterval = src.MonitoringInterval ?? 0;
    if (src.MonitoringInterval) fix.MonitoringRoleArn = src.MonitoringRoleArn;
  }
  if (differs('PerformanceInsightsEnabled') || differs('PerformanceInsightsKMSKeyId') || differs('PerformanceInsightsRetentionPeriod')) {
    fix.EnablePerformanceInsights = src.PerformanceInsightsEnabled ?? false;
    if (src.PerformanceInsightsEnabled) {
      if (src.PerformanceInsightsKMSKeyId) fix.PerformanceInsightsKMSKeyId = src.PerformanceInsightsKMSKeyId;
      if (src.PerformanceInsightsRetentionPeriod) fix.PerformanceInsightsRetentionPeriod = src.PerformanceInsightsRetentionPeriod;
    }
  }
  if (differs('CACertificateIdentifier') && src.CACertificateIdentifier) fix.CACertificateIdentifier = src.CACertificateIdentifier;
  if (differs('AutoMinorVersionUpgrade') && src.AutoMinorVersionUpgrade !== undefined)
    fix.AutoMinorVersionUpgrade = src.AutoMinorVersionUpgrade;
  if (differs('PreferredMaintenanceWindow') && src.PreferredMaintenanceWindow)
    fix.PreferredMaintenanceWindow = src.PreferredMaintenanceWindow;
  return Object.keys(fix).length > 2 ? fix : undefined;
}
