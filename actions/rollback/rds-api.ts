/**
 * The subset of Amazon RDS that rollback uses, over the SDK's RDSClient. Every call goes through
 * `call`, which retries throttling (and transient errors) with exponential backoff and turns any other AWS error into
 * one clear line (aws-errors.ts). The engine depends on `RdsApi`, not on the SDK.
 */
import {
  CreateDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  RestoreDBClusterToPointInTimeCommand,
  waitUntilDBClusterAvailable,
  waitUntilDBInstanceAvailable,
  type CreateDBInstanceCommandInput,
  type DBCluster,
  type DBClusterSnapshot,
  type DBInstance,
  type ModifyDBClusterCommandInput,
  type RDSClient,
  type RestoreDBClusterToPointInTimeCommandInput,
} from '@aws-sdk/client-rds';
import { AwsCallError, classifyAwsError, describeAwsError, isRetryable } from '../platform/aws-errors.ts';

export type { DBCluster, DBClusterSnapshot, DBInstance };

export interface WaitOptions {
  /** Give up after this many seconds. */
  maxWaitSeconds: number;
  /** Called after every poll with the status seen (or the error's name) and seconds elapsed. */
  onPoll?: (status: string, elapsedSeconds: number) => void;
}

export interface RdsApi {
  readonly region: string;
  describeCluster(id: string): Promise<DBCluster>;
  describeInstance(id: string): Promise<DBInstance>;
  /** Automated snapshots of a cluster, newest first. */
  automatedSnapshots(clusterId: string): Promise<DBClusterSnapshot[]>;
  restoreClusterToPointInTime(input: RestoreDBClusterToPointInTimeCommandInput): Promise<DBCluster>;
  createInstance(input: CreateDBInstanceCommandInput): Promise<DBInstance>;
  modifyCluster(input: ModifyDBClusterCommandInput): Promise<DBCluster>;
  waitClusterAvailable(id: string, options: WaitOptions): Promise<void>;
  waitInstanceAvailable(id: string, options: WaitOptions): Promise<void>;
}

export interface RdsApiOptions {
  region: string;
  /** Attempts for a throttled call. Default 6. */
  throttleAttempts?: number;
  /** First backoff delay in ms, doubled each attempt (with jitter), capped at 20 s. Default 1000. */
  backoffMs?: number;
  /** Seconds between waiter polls: first and most. Defaults 30 and 60 (RDS changes slowly). */
  waiterDelaySeconds?: { min: number; max: number };
  /** Sleep, for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createRdsApi(client: RDSClient, options: RdsApiOptions): RdsApi {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const attempts = options.throttleAttempts ?? 6;
  const backoff = options.backoffMs ?? 1000;
  const delays = options.waiterDelaySeconds ?? { min: 30, max: 60 };
  const region = options.region;

  /** One AWS call: throttling retried with backoff, anything else described once. */
  async function call<T>(operation: string, what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (isRetryable(err) && attempt < attempts) {
          const delay = Math.min(20_000, backoff * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
          await sleep(delay);
          continue;
        }
        throw describeAwsError(err, operation, what);
      }
    }
  }

  const clusterWhat = (id: string) => `cluster ${id} in ${region}`;
  const instanceWhat = (id: string) => `instance ${id} in ${region}`;

  /**
   * The SDK's waiters retry on every error until they time out, so an AccessDenied would look
   * like a long wait. This client, handed to the waiter, reports each poll and aborts the wait on
   * errors that waiting cannot fix (not-found is waited out: a renamed or just-created resource
   * appears after a while).
   */
  async function wait(
    kind: 'cluster' | 'instance',
    id: string,
    o: WaitOptions,
    statusOf: (out: unknown) => string | undefined,
  ): Promise<void> {
    const start = now();
    const abortController = new AbortController();
    let fatal: unknown;
    let last = 'unknown';
    const observing = {
      send: async (command: unknown) => {
        try {
          const out = await (client.send as (c: unknown) => Promise<unknown>)(command);
          last = statusOf(out) ?? 'not found';
          o.onPoll?.(last, (now() - start) / 1000);
          return out;
        } catch (err) {
          const k = classifyAwsError(err);
          last = (err as Error).name ?? 'error';
          o.onPoll?.(last, (now() - start) / 1000);
          if (k !== 'not-found' && k !== 'throttled') {
            fatal = err;
            abortController.abort();
          }
          throw err;
        }
      },
    } as unknown as RDSClient;
    const operation = kind === 'cluster' ? 'DescribeDBClusters' : 'DescribeDBInstances';
    const what = kind === 'cluster' ? clusterWhat(id) : instanceWhat(id);
    const config = { client: observing, maxWaitTime: o.maxWaitSeconds, minDelay: delays.min, maxDelay: delays.max, abortController };
    try {
      if (kind === 'cluster') await waitUntilDBClusterAvailable(config, { DBClusterIdentifier: id });
      else await waitUntilDBInstanceAvailable(config, { DBInstanceIdentifier: id });
    } catch (err) {
      if (fatal) throw describeAwsError(fatal, operation, what);
      const state = (() => {
        try {
          return (JSON.parse((err as Error).message) as { state?: string }).state;
        } catch {
          return undefined;
        }
      })();
      const minutes = Math.round((now() - start) / 60_000);
      const why =
        state === 'TIMEOUT'
          ? `did not become available within ${Math.round(o.maxWaitSeconds / 60)} minutes`
          : `stopped in state '${last}' instead of becoming available`;
      throw new AwsCallError(
        `${what} ${why} (last status: ${last}, after ${minutes} min). To fix this, look at it in the RDS console or with ` +
          `'aws rds ${kind === 'cluster' ? 'describe-db-clusters --db-cluster-identifier' : 'describe-db-instances --db-instance-identifier'} ` +
          `${id} --region ${region}'.`,
        operation,
        state ?? 'WaiterFailed',
        'invalid-state',
        { cause: err },
      );
    }
  }

  return {
    region,
    async describeCluster(id) {
      const out = await call('DescribeDBClusters', clusterWhat(id), () =>
        client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })),
      );
      const cluster = out.DBClusters?.[0];
      if (!cluster)
        throw describeAwsError({ name: 'DBClusterNotFoundFault', message: `no cluster ${id}` }, 'DescribeDBClusters', clusterWhat(id));
      return cluster;
    },
    async describeInstance(id) {
      const out = await call('DescribeDBInstances', instanceWhat(id), () =>
        client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
      );
      const instance = out.DBInstances?.[0];
      if (!instance)
        throw describeAwsError({ name: 'DBInstanceNotFoundFault', message: `no instance ${id}` }, 'DescribeDBInstances', instanceWhat(id));
      return instance;
    },
    async automatedSnapshots(clusterId) {
      const out = await call('DescribeDBClusterSnapshots', clusterWhat(clusterId), () =>
        client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: clusterId, SnapshotType: 'automated' })),
      );
      const time = (s: DBClusterSnapshot) => s.SnapshotCreateTime?.getTime() ?? 0;
      return [...(out.DBClusterSnapshots ?? [])].sort((a, b) => time(b) - time(a));
    },
    async restoreClusterToPointInTime(input) {
      const out = await call('RestoreDBClusterToPointInTime', clusterWhat(input.SourceDBClusterIdentifier ?? '?'), () =>
        client.send(new RestoreDBClusterToPointInTimeCommand(input)),
      );
      return out.DBCluster ?? { DBClusterIdentifier: input.DBClusterIdentifier };
    },
    async createInstance(input) {
      const out = await call('CreateDBInstance', instanceWhat(input.DBInstanceIdentifier ?? '?'), () =>
        client.send(new CreateDBInstanceCommand(input)),
      );
      return out.DBInstance ?? { DBInstanceIdentifier: input.DBInstanceIdentifier };
    },
    async modifyCluster(input) {
      const out = await call('ModifyDBCluster', clusterWhat(input.DBClusterIdentifier ?? '?'), () =>
        client.send(new ModifyDBClusterCommand(input)),
      );
      return out.DBCluster ?? { DBClusterIdentifier: input.NewDBClusterIdentifier ?? input.DBClusterIdentifier };
    },
    waitClusterAvailable: (id, o) => wait('cluster', id, o, (out) => (out as { DBClusters?: DBCluster[] }).DBClusters?.[0]?.Status),
    waitInstanceAvailable: (id, o) =>
      wait('instance', id, o, (out) => (out as { DBInstances?: DBInstance[] }).DBInstances?.[0]?.DBInstanceStatus),
  };
}
