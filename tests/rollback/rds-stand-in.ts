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
import {
  OPERATIONS,
  type DBCluster,
  type DBClusterEndpoint,
  type DBInstance,
  type RdsApi,
  type Tag,
} from '../../actions/rollback/rds-api.ts';
import type { Dns } from '../../actions/rollback/schedule.ts';
import { awsError, faultError, type FakeClock, type Fault } from './stand-in-faults.ts';

const MIN = 60_000;

/** How long things take, in minutes (AWS's orders of magnitude). */
export const DURATIONS = { restore: 95, instance: 14, rename: 3, modify: 4, reboot: 2, delete: 6, endpoint: 2, stop: 5, dnsLag: 2 };

interface Timed {
  status: string;
  next?: string;
  until?: number;
}

type ClusterRec = DBCluster & Timed & { gone?: boolean };
type InstanceRec = DBInstance & Timed & { gone?: boolean };
type EndpointRec = DBClusterEndpoint & Timed & { gone?: boolean };

const clone = <T>(x: T): T => structuredClone(x);

/** RDS identifier rules: 1-63 letters, digits, hyphens; a letter first; no trailing or double hyphen. */
function checkIdentifier(param: string, id: unknown): void {
  if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(id) || id.endsWith('-') || id.includes('--'))
    throw awsError(
      'InvalidParameterValue',
      `The parameter ${param} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
}

export class RdsStandIn implements RdsApi {
  readonly region = 'ap-northeast-1';
  readonly account = '123456789012';
  clusters = new Map<string, ClusterRec>();
  instances = new Map<string, InstanceRec>();
  endpoints = new Map<string, EndpointRec>();
  /** Every call, in order: [operation, input]. */
  calls: Array<[string, unknown]> = [];
  faults: Fault[] = [];
  subnetGroups = new Set(['default', 'tokyobeta-public-subnets']);
  clusterParameterGroups = new Set(['default.aurora-mysql8.0', 'tokyobeta-aurora-mysql8']);
  parameterGroups = new Set(['default.aurora-mysql8.0', 'tokyobeta-aurora-mysql8-instance', 'tokyobeta-read-only']);
  /** Operations that fail with this error until cleared (e.g. the second rename). */
  failing = new Map<string, (input: unknown) => Error | undefined>();
  /** host → the name it is a CNAME of, and when that changed. */
  private dnsRecords = new Map<string, Array<{ at: number; target: string }>>();

  constructor(readonly clock: FakeClock) {}

  readonly dns: Dns = {
    resolve: async (host) => {
      const chain: string[] = [];
      let name = host;
      for (let i = 0; i < 5; i++) {
        const history = (this.dnsRecords.get(name) ?? []).filter((r) => r.at <= this.clock.now());
        const target = history.at(-1)?.target;
        if (!target) break;
        chain.push(target);
        name = target;
      }
      return chain;
    },
  };

  // ---- state that moves with the clock -------------------------------------------------

  private tick(): void {
    const now = this.clock.now();
    const kinds: Array<[Map<string, Timed & { gone?: boolean }>, string]> = [
      [this.clusters, 'Status'],
      [this.instances, 'DBInstanceStatus'],
      [this.endpoints, 'Status'],
    ];
    for (const [map, field] of kinds) {
      for (const [id, r] of map) {
        if (r.until !== undefined && now >= r.until) {
          if (r.next === 'gone') {
            map.delete(id);
            continue;
          }
          r.status = r.next!;
          r.until = undefined;
          r.next = undefined;
        }
        (r as unknown as Record<string, string>)[field] = r.status;
      }
    }
    for (const c of this.clusters.values()) {
      if (c.status !== 'creating') c.LatestRestorableTime = new Date(now - 5 * MIN);
    }
  }

  private setStatus(r: Timed, now: string, then: string, minutes: number): void {
    r.status = now;
    r.next = then;
    r.until = this.clock.now() + minutes * MIN;
  }

  private cluster(id: string | undefined): ClusterRec {
    const c = id ? this.clusters.get(id) : undefined;
    if (!c) throw awsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
    return c;
  }

  private instance(id: string | undefined): InstanceRec {
    const i = id ? this.instances.get(id) : undefined;
    if (!i) throw awsError('DBInstanceNotFoundFault', `DBInstance ${id} not found.`, 404);
    return i;
  }

  private available(c: ClusterRec): void {
    if (c.status !== 'available')
      throw awsError('InvalidDBClusterStateFault', `DbCluster ${c.DBClusterIdentifier} is not in available state (it is ${c.status}).`);
  }

  private endpointHost(name: string, kind: 'cluster' | 'cluster-ro' | 'instance' | 'cluster-custom'): string {
    return `${name}.${kind === 'instance' ? '' : `${kind}-`}c9akciq32.${this.region}.rds.amazonaws.com`;
  }

  /** The cluster endpoint follows the writer (after DNS's lag). */
  private pointDns(c: ClusterRec, lagMinutes = DURATIONS.dnsLag): void {
    const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    const target = writer ? this.instances.get(writer)?.Endpoint?.Address : undefined;
    if (!target || !c.Endpoint) return;
    const list = this.dnsRecords.get(c.Endpoint) ?? [];
    list.push({ at: this.clock.now() + lagMinutes * MIN, target });
    this.dnsRecords.set(c.Endpoint, list);
  }

  /** Runs one API call: injected faults first, then the service's rules. */
  private call<T>(method: keyof typeof OPERATIONS, input: unknown, fn: () => T): Promise<T> {
    const op = OPERATIONS[method];
    this.calls.push([op, clone(input)]);
    this.tick();
    const fault = this.faults.find((f) => (f.operation === op || f.operation === '*') && f.times > 0);
    if (fault) {
      fault.times--;
      if (fault.after) {
        try {
          fn();
        } catch {
          // the call's own answer is lost with the connection
        }
      }
      return Promise.reject(faultError(fault.kind));
    }
    const failure = this.failing.get(op)?.(input);
    if (failure) return Promise.reject(failure);
    try {
      return Promise.resolve(clone(fn()));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Writes of the fake clock's RDS: operations (not describes) seen, by name. */
  mutations(): string[] {
    return this.calls.map(([op]) => op).filter((op) => !op.startsWith('Describe'));
  }

  // ---- seeding ------------------------------------------------------------------------

  addCluster(c: DBCluster): void {
    const id = c.DBClusterIdentifier!;
    this.clusters.set(id, {
      ...clone(c),
      status: c.Status ?? 'available',
      Endpoint: this.endpointHost(id, 'cluster'),
      ReaderEndpoint: this.endpointHost(id, 'cluster-ro'),
      DBClusterArn: `arn:aws:rds:${this.region}:${this.account}:cluster:${id}`,
      DbClusterResourceId: c.DbClusterResourceId ?? `cluster-${randomBytes(13).toString('hex').toUpperCase()}`,
      DBClusterMembers: [],
    });
    this.tick();
  }

  addInstance(i: DBInstance, writer: boolean): void {
    const id = i.DBInstanceIdentifier!;
    this.instances.set(id, { ...clone(i), status: 'available', Endpoint: { Address: this.endpointHost(id, 'instance'), Port: 3306 } });
    const c = this.cluster(i.DBClusterIdentifier);
    c.DBClusterMembers!.push({ DBInstanceIdentifier: id, IsClusterWriter: writer, PromotionTier: i.PromotionTier ?? 1 });
    if (writer) this.pointDns(c, 0);
    this.tick();
  }

  addEndpoint(e: DBClusterEndpoint): void {
    this.endpoints.set(e.DBClusterEndpointIdentifier!, {
      ...clone(e),
      EndpointType: 'CUSTOM',
      status: 'available',
      Endpoint: this.endpointHost(e.DBClusterEndpointIdentifier!, 'cluster-custom'),
    });
    this.tick();
  }

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
