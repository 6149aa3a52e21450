/**
 * An RDS control plane that behaves like the service, for the rollback tests: it implements
 * RdsApi with the API reference's rules (each a fault AWS names), keeps state (clusters,
 * instances, endpoints, DNS) whose statuses change as the fake clock moves, and gives what is not
 * passed AWS's defaults, so a setting the engine forgets shows up as a difference from the source.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBClusterToPointInTime.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html
 */
import { randomBytes } from 'node:crypto';
import type { DBCluster, DBClusterEndpoint, RdsApi, Tag } from '../../actions/rollback/rds-api.ts';
import { checkIdentifier, DURATIONS, RdsStandInState, type ClusterRec, type EndpointRec, type InstanceRec } from './rds-stand-in-state.ts';
import { awsError } from './stand-in-faults.ts';

export class RdsStandIn extends RdsStandInState implements RdsApi {
  // ---- RdsApi -------------------------------------------------------------------------

  describeClusters(id?: string) {
    return this.call('describeClusters', { id }, () => (id ? [this.cluster(id)] : [...this.clusters.values()]));
  }

  describeInstances(by: { id: string } | { clusterId: string }) {
    return this.call('describeInstances', by, () =>
      'id' in by ? [this.instance(by.id)] : [...this.instances.values()].filter((i) => i.DBClusterIdentifier === by.clusterId),
    );
  }

  describeClusterEndpoints(clusterId: string) {
    return this.call('describeClusterEndpoints', { clusterId }, () => {
      const c = this.cluster(clusterId);
      const builtIn: DBClusterEndpoint[] = [
        { DBClusterIdentifier: clusterId, Endpoint: c.Endpoint, EndpointType: 'WRITER', Status: 'available' },
        { DBClusterIdentifier: clusterId, Endpoint: c.ReaderEndpoint, EndpointType: 'READER', Status: 'available' },
      ];
      return [...builtIn, ...[...this.endpoints.values()].filter((e) => e.DBClusterIdentifier === clusterId)];
    });
  }

  describeAutomatedSnapshots(clusterId: string) {
    return this.call('describeAutomatedSnapshots', { clusterId }, () => {
      this.cluster(clusterId);
      return [];
    });
  }

  restoreClusterToPointInTime(input: Parameters<RdsApi['restoreClusterToPointInTime']>[0]) {
    return this.call('restoreClusterToPointInTime', input, () => {
      checkIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
      const src = this.cluster(input.SourceDBClusterIdentifier);
      if ((input.RestoreToTime !== undefined) === (input.UseLatestRestorableTime === true))
        throw awsError('InvalidParameterCombination', 'Exactly one of RestoreToTime or UseLatestRestorableTime must be specified.');
      if (input.RestoreType === 'copy-on-write' && input.RestoreToTime)
        throw awsError('InvalidParameterCombination', 'RestoreToTime cannot be specified with RestoreType copy-on-write.');
      const time = input.RestoreToTime ?? src.LatestRestorableTime!;
      if (time < src.EarliestRestorableTime! || time > src.LatestRestorableTime!)
        throw awsError(
          'InvalidRestoreFault',
          `The restore time ${time.toISOString()} is outside the restorable window of ${src.DBClusterIdentifier}.`,
        );
      if (this.clusters.has(input.DBClusterIdentifier!)) throw awsError('DBClusterAlreadyExistsFault', `DB Cluster already exists`);
      if (input.DBSubnetGroupName && !this.subnetGroups.has(input.DBSubnetGroupName))
        throw awsError('DBSubnetGroupNotFoundFault', `DBSubnetGroup ${input.DBSubnetGroupName} not found.`, 404);
      if (input.DBClusterParameterGroupName && !this.clusterParameterGroups.has(input.DBClusterParameterGroupName))
        throw awsError(
          'DBClusterParameterGroupNotFoundFault',
          `DBClusterParameterGroup ${input.DBClusterParameterGroupName} not found.`,
          404,
        );
      if (input.BacktrackWindow !== undefined && (input.BacktrackWindow < 0 || input.BacktrackWindow > 259200))
        throw awsError('InvalidParameterValue', 'BacktrackWindow must be between 0 and 259200.');
      const id = input.DBClusterIdentifier!;
      // What AWS gives a restore that passes nothing: the defaults, not the source's settings.
      const c: ClusterRec = {
        DBClusterIdentifier: id,
        status: 'creating',
        Engine: src.Engine,
        EngineVersion: src.EngineVersion,
        Port: input.Port ?? 3306,
        DBSubnetGroup: input.DBSubnetGroupName ?? 'default',
        VpcSecurityGroups: (input.VpcSecurityGroupIds?.length ? input.VpcSecurityGroupIds : ['sg-default']).map((g) => ({
          VpcSecurityGroupId: g,
          Status: 'active',
        })),
        DBClusterParameterGroup: input.DBClusterParameterGroupName ?? 'default.aurora-mysql8.0',
        IAMDatabaseAuthenticationEnabled: input.EnableIAMDatabaseAuthentication ?? false,
        DeletionProtection: input.DeletionProtection ?? false,
        BacktrackWindow: input.BacktrackWindow ?? 0,
        EnabledCloudwatchLogsExports: input.EnableCloudwatchLogsExports ?? [],
        CopyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
        StorageType: input.StorageType ?? 'aurora',
        StorageEncrypted: src.StorageEncrypted,
        KmsKeyId: input.KmsKeyId ?? src.KmsKeyId,
        BackupRetentionPeriod: input.BackupRetentionPeriod ?? 1,
        PreferredBackupWindow: input.PreferredBackupWindow ?? '16:20-16:50',
        PreferredMaintenanceWindow: 'wed:19:00-wed:19:30',
        HttpEndpointEnabled: false,
        NetworkType: input.NetworkType ?? 'IPV4',
        ...(input.ServerlessV2ScalingConfiguration
          ? { ServerlessV2ScalingConfiguration: { ...input.ServerlessV2ScalingConfiguration } }
          : {}),
        AssociatedRoles: (input.AssociatedRoles ?? []).map((r) => ({ RoleArn: r.RoleArn, FeatureName: r.FeatureName, Status: 'ACTIVE' })),
        TagList: (input.Tags ?? []).map((t: Tag) => ({ ...t })),
        EarliestRestorableTime: new Date(this.clock.now()),
        Endpoint: this.endpointHost(id, 'cluster'),
        ReaderEndpoint: this.endpointHost(id, 'cluster-ro'),
        DBClusterArn: `arn:aws:rds:${this.region}:${this.account}:cluster:${id}`,
        DbClusterResourceId: `cluster-${randomBytes(13).toString('hex').toUpperCase()}`,
        DBClusterMembers: [],
      };
      this.setStatus(c, 'creating', 'available', DURATIONS.restore);
      this.clusters.set(id, c);
      this.tick();
      return c;
    });
  }

  createInstance(input: Parameters<RdsApi['createInstance']>[0]) {
    return this.call('createInstance', input, () => {
      checkIdentifier('DBInstanceIdentifier', input.DBInstanceIdentifier);
      const c = this.cluster(input.DBClusterIdentifier);
      if (this.instances.has(input.DBInstanceIdentifier!)) throw awsError('DBInstanceAlreadyExistsFault', 'DB instance already exists');
      if (c.status !== 'available')
        throw awsError('InvalidDBClusterStateFault', `DB cluster ${c.DBClusterIdentifier} is not in available state.`);
      if (!input.DBInstanceClass) throw awsError('InvalidParameterValue', 'DBInstanceClass is required.');
      if (input.Engine !== c.Engine)
        throw awsError('InvalidParameterCombination', `The engine ${input.Engine} does not match the cluster's ${c.Engine}.`);
      if (input.MonitoringInterval && !input.MonitoringRoleArn)
        throw awsError(
          'InvalidParameterCombination',
          'A MonitoringRoleArn value is required if you specify a MonitoringInterval value other than 0.',
        );
      if (input.DBParameterGroupName && !this.parameterGroups.has(input.DBParameterGroupName))
        throw awsError('DBParameterGroupNotFoundFault', `DBParameterGroup ${input.DBParameterGroupName} not found.`, 404);
      const id = input.DBInstanceIdentifier!;
      const pi = input.EnablePerformanceInsights === true;
      const i: InstanceRec = {
        DBInstanceIdentifier: id,
        DBClusterIdentifier: c.DBClusterIdentifier,
        status: 'creating',
        DBInstanceClass: input.DBInstanceClass,
        Engine: input.Engine,
        DBParameterGroups: [
          { DBParameterGroupName: input.DBParameterGroupName ?? 'default.aurora-mysql8.0', ParameterApplyStatus: 'in-sync' },
        ],
        PubliclyAccessible: input.PubliclyAccessible ?? false,
        PromotionTier: input.PromotionTier ?? 1,
        AvailabilityZone: input.AvailabilityZone ?? `${this.region}c`,
        MonitoringInterval: input.MonitoringInterval ?? 0,
        ...(input.MonitoringInterval ? { MonitoringRoleArn: input.MonitoringRoleArn } : {}),
        PerformanceInsightsEnabled: pi,
        ...(pi
          ? {
              PerformanceInsightsKMSKeyId:
                input.PerformanceInsightsKMSKeyId ?? `arn:aws:kms:${this.region}:${this.account}:key/aws-rds-default`,
              PerformanceInsightsRetentionPeriod: input.PerformanceInsightsRetentionPeriod ?? 7,
            }
          : {}),
        CACertificateIdentifier: input.CACertificateIdentifier ?? 'rds-ca-rsa2048-g1',
        AutoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
        PreferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? 'sun:18:00-sun:18:30',
        TagList: (input.Tags ?? []).map((t) => ({ ...t })),
        Endpoint: { Address: this.endpointHost(id, 'instance'), Port: c.Port },
      };
      this.setStatus(i, 'creating', 'available', DURATIONS.instance);
      this.instances.set(id, i);
      // The first instance of an Aurora cluster is its writer.
      const writer = !(c.DBClusterMembers ?? []).some((m) => m.IsClusterWriter);
      c.DBClusterMembers = [
        ...(c.DBClusterMembers ?? []),
        { DBInstanceIdentifier: id, IsClusterWriter: writer, PromotionTier: i.PromotionTier },
      ];
      if (writer) this.pointDns(c, DURATIONS.instance);
      this.tick();
      return i;
    });
  }

  modifyCluster(input: Parameters<RdsApi['modifyCluster']>[0]) {
    return this.call('modifyCluster', input, () => {
      const c = this.cluster(input.DBClusterIdentifier);
      this.available(c);
      if (input.BacktrackWindow && !c.BacktrackWindow)
        throw awsError(
          'InvalidParameterCombination',
          'Backtrack is not enabled for this DB cluster: it can only be turned on when the cluster is created or restored.',
        );
      if (input.NewDBClusterIdentifier !== undefined) {
        checkIdentifier('NewDBClusterIdentifier', input.NewDBClusterIdentifier);
        if (this.clusters.has(input.NewDBClusterIdentifier!)) throw awsError('DBClusterAlreadyExistsFault', 'DB Cluster already exists');
      }
      if (input.DBClusterParameterGroupName && !this.clusterParameterGroups.has(input.DBClusterParameterGroupName))
        throw awsError(
          'DBClusterParameterGroupNotFoundFault',
          `DBClusterParameterGroup ${input.DBClusterParameterGroupName} not found.`,
          404,
        );
      const set = <K extends keyof DBCluster>(k: K, v: DBCluster[K] | undefined) => {
        if (v !== undefined) (c as DBCluster)[k] = v;
      };
      set('IAMDatabaseAuthenticationEnabled', input.EnableIAMDatabaseAuthentication);
      set('DeletionProtection', input.DeletionProtection);
      set('BacktrackWindow', input.BacktrackWindow);
      set('CopyTagsToSnapshot', input.CopyTagsToSnapshot);
      set('StorageType', input.StorageType);
      set('Port', input.Port);
      set('DBClusterParameterGroup', input.DBClusterParameterGroupName);
      set('BackupRetentionPeriod', input.BackupRetentionPeriod);
      set('PreferredBackupWindow', input.PreferredBackupWindow);
      set('PreferredMaintenanceWindow', input.PreferredMaintenanceWindow);
      set('HttpEndpointEnabled', input.EnableHttpEndpoint);
      if (input.VpcSecurityGroupIds)
        c.VpcSecurityGroups = input.VpcSecurityGroupIds.map((g) => ({ VpcSecurityGroupId: g, Status: 'active' }));
      if (input.CloudwatchLogsExportConfiguration) {
        const logs = new Set(c.EnabledCloudwatchLogsExports ?? []);
        for (const l of input.CloudwatchLogsExportConfiguration.EnableLogTypes ?? []) logs.add(l);
        for (const l of input.CloudwatchLogsExportConfiguration.DisableLogTypes ?? []) logs.delete(l);
        c.EnabledCloudwatchLogsExports = [...logs];
      }
      if (input.NewDBClusterIdentifier !== undefined) {
        // A rename: the identifier and the endpoints (derived from it) change; the resource id does not.
        const to = input.NewDBClusterIdentifier!;
        this.clusters.delete(c.DBClusterIdentifier!);
        c.DBClusterIdentifier = to;
        c.DBClusterArn = `arn:aws:rds:${this.region}:${this.account}:cluster:${to}`;
        c.Endpoint = this.endpointHost(to, 'cluster');
        c.ReaderEndpoint = this.endpointHost(to, 'cluster-ro');
        this.clusters.set(to, c);
        for (const i of this.instances.values()) if (i.DBClusterIdentifier === input.DBClusterIdentifier) i.DBClusterIdentifier = to;
        for (const e of this.endpoints.values()) if (e.DBClusterIdentifier === input.DBClusterIdentifier) e.DBClusterIdentifier = to;
        this.setStatus(c, 'renaming', 'available', DURATIONS.rename);
        this.pointDns(c);
      } else this.setStatus(c, 'modifying', 'available', DURATIONS.modify);
      this.tick();
      return c;
    });
  }

  modifyInstance(input: Parameters<RdsApi['modifyInstance']>[0]) {
    return this.call('modifyInstance', input, () => {
      const i = this.instance(input.DBInstanceIdentifier);
      if (i.status !== 'available') throw awsError('InvalidDBInstanceStateFault', `Database instance is not in available state.`);
      if (input.DBParameterGroupName && !this.parameterGroups.has(input.DBParameterGroupName))
        throw awsError('DBParameterGroupNotFoundFault', `DBParameterGroup ${input.DBParameterGroupName} not found.`, 404);
      if (input.MonitoringInterval && !(input.MonitoringRoleArn ?? i.MonitoringRoleArn))
        throw awsError(
          'InvalidParameterCombination',
          'A MonitoringRoleArn value is required if you specify a MonitoringInterval value other than 0.',
        );
      if (input.DBInstanceClass) i.DBInstanceClass = input.DBInstanceClass;
      if (input.DBParameterGroupName)
        i.DBParameterGroups = [{ DBParameterGroupName: input.DBParameterGroupName, ParameterApplyStatus: 'pending-reboot' }];
      if (input.PubliclyAccessible !== undefined) i.PubliclyAccessible = input.PubliclyAccessible;
      if (input.PromotionTier !== undefined) i.PromotionTier = input.PromotionTier;
      if (input.MonitoringInterval !== undefined) i.MonitoringInterval = input.MonitoringInterval;
      if (input.MonitoringRoleArn) i.MonitoringRoleArn = input.MonitoringRoleArn;
      if (input.EnablePerformanceInsights !== undefined) i.PerformanceInsightsEnabled = input.EnablePerformanceInsights;
      if (input.PerformanceInsightsKMSKeyId) i.PerformanceInsightsKMSKeyId = input.PerformanceInsightsKMSKeyId;
      if (input.PerformanceInsightsRetentionPeriod) i.PerformanceInsightsRetentionPeriod = input.PerformanceInsightsRetentionPeriod;
      if (input.CACertificateIdentifier) i.CACertificateIdentifier = input.CACertificateIdentifier;
      if (input.AutoMinorVersionUpgrade !== undefined) i.AutoMinorVersionUpgrade = input.AutoMinorVersionUpgrade;
      if (input.PreferredMaintenanceWindow) i.PreferredMaintenanceWindow = input.PreferredMaintenanceWindow;
      this.setStatus(i, 'modifying', 'available', DURATIONS.modify);
      this.tick();
      return i;
    });
  }

  rebootInstance(id: string) {
    return this.call('rebootInstance', { id }, () => {
      const i = this.instance(id);
      if (i.status !== 'available') throw awsError('InvalidDBInstanceStateFault', `Database instance is not in available state.`);
      for (const g of i.DBParameterGroups ?? []) g.ParameterApplyStatus = 'in-sync';
      this.setStatus(i, 'rebooting', 'available', DURATIONS.reboot);
      this.tick();
      return i;
    });
  }

  createClusterEndpoint(input: Parameters<RdsApi['createClusterEndpoint']>[0]) {
    return this.call('createClusterEndpoint', input, () => {
      checkIdentifier('DBClusterEndpointIdentifier', input.DBClusterEndpointIdentifier);
      const c = this.cluster(input.DBClusterIdentifier);
      this.available(c);
      // Endpoint identifiers are unique in the region, across clusters.
      if (this.endpoints.has(input.DBClusterEndpointIdentifier!))
        throw awsError('DBClusterEndpointAlreadyExistsFault', `DBClusterEndpoint ${input.DBClusterEndpointIdentifier} already exists.`);
      if (!['READER', 'ANY'].includes(input.EndpointType!)) throw awsError('InvalidParameterValue', 'EndpointType must be READER or ANY.');
      for (const m of [...(input.StaticMembers ?? []), ...(input.ExcludedMembers ?? [])]) {
        if (this.instances.get(m)?.DBClusterIdentifier !== c.DBClusterIdentifier)
          throw awsError('DBInstanceNotFoundFault', `DBInstance ${m} is not a member of ${c.DBClusterIdentifier}.`, 404);
      }
      const e: EndpointRec = {
        DBClusterEndpointIdentifier: input.DBClusterEndpointIdentifier,
        DBClusterIdentifier: c.DBClusterIdentifier,
        EndpointType: 'CUSTOM',
        CustomEndpointType: input.EndpointType,
        StaticMembers: input.StaticMembers ?? [],
        ExcludedMembers: input.ExcludedMembers ?? [],
        Endpoint: this.endpointHost(input.DBClusterEndpointIdentifier!, 'cluster-custom'),
        status: 'creating',
      };
      this.setStatus(e, 'creating', 'available', DURATIONS.endpoint);
      this.endpoints.set(input.DBClusterEndpointIdentifier!, e);
      this.tick();
      return e;
    });
  }

  deleteClusterEndpoint(id: string) {
    return this.call('deleteClusterEndpoint', { id }, () => {
      const e = this.endpoints.get(id);
      if (!e) throw awsError('DBClusterEndpointNotFoundFault', `DBClusterEndpoint ${id} not found.`, 404);
      if (e.status !== 'available') throw awsError('InvalidDBClusterEndpointStateFault', `DBClusterEndpoint ${id} is ${e.status}.`);
      this.setStatus(e, 'deleting', 'gone', DURATIONS.endpoint);
      this.tick();
      return e;
    });
  }

  deleteInstance(id: string) {
    return this.call('deleteInstance', { id }, () => {
      const i = this.instance(id);
      if (i.status === 'deleting') throw awsError('InvalidDBInstanceStateFault', `Instance ${id} is already being deleted.`);
      this.setStatus(i, 'deleting', 'gone', DURATIONS.delete);
      const c = this.clusters.get(i.DBClusterIdentifier!);
      if (c) c.DBClusterMembers = (c.DBClusterMembers ?? []).filter((m) => m.DBInstanceIdentifier !== id);
      this.tick();
      return i;
    });
  }

  deleteCluster(id: string) {
    return this.call('deleteCluster', { id }, () => {
      const c = this.cluster(id);
      if (c.DeletionProtection)
        throw awsError('InvalidParameterCombination', 'Cannot delete protected Cluster, please disable deletion protection and try again.');
      if ([...this.instances.values()].some((i) => i.DBClusterIdentifier === id))
        throw awsError('InvalidDBClusterStateFault', 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
      this.available(c);
      this.setStatus(c, 'deleting', 'gone', DURATIONS.delete);
      this.tick();
      return c;
    });
  }

  stopCluster(id: string) {
    return this.call('stopCluster', { id }, () => {
      const c = this.cluster(id);
      if (c.status !== 'available')
        throw awsError('InvalidDBClusterStateFault', `DbCluster ${id} is in ${c.status} state but expected it to be available.`);
      this.setStatus(c, 'stopping', 'stopped', DURATIONS.stop);
      this.tick();
      return c;
    });
  }
}
