/**
 * The subset of Amazon RDS that rollback uses: one method per API operation, with the API's own
 * input and output shapes and its own errors (a missing cluster is a DBClusterNotFoundFault, as
 * the service says). The engine depends on `RdsApi`, never on the SDK: `rds-sdk.ts` implements it
 * over the SDK's RDSClient, the tests' stand-in implements it with the service's rules, and
 * `rds-retry.ts` wraps either with retries and one-line errors.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Operations.html
 */
import type {
  CreateDBClusterEndpointCommandInput,
  CreateDBInstanceCommandInput,
  DBCluster,
  DBClusterEndpoint,
  DBClusterSnapshot,
  DBInstance,
  ModifyDBClusterCommandInput,
  ModifyDBInstanceCommandInput,
  RestoreDBClusterToPointInTimeCommandInput,
  Tag,
} from '@aws-sdk/client-rds';

export type {
  CreateDBClusterEndpointCommandInput,
  CreateDBInstanceCommandInput,
  DBCluster,
  DBClusterEndpoint,
  DBClusterSnapshot,
  DBInstance,
  ModifyDBClusterCommandInput,
  ModifyDBInstanceCommandInput,
  RestoreDBClusterToPointInTimeCommandInput,
  Tag,
};

export interface RdsApi {
  readonly region: string;
  /** DescribeDBClusters: one cluster (DBClusterNotFoundFault when missing), or every cluster of the region. */
  describeClusters(id?: string): Promise<DBCluster[]>;
  /** DescribeDBInstances: one instance (DBInstanceNotFoundFault when missing), or the instances of a cluster. */
  describeInstances(by: { id: string } | { clusterId: string }): Promise<DBInstance[]>;
  /** DescribeDBClusterEndpoints of a cluster (custom ones included). */
  describeClusterEndpoints(clusterId: string): Promise<DBClusterEndpoint[]>;
  /** DescribeDBClusterSnapshots, SnapshotType automated. */
  describeAutomatedSnapshots(clusterId: string): Promise<DBClusterSnapshot[]>;
  restoreClusterToPointInTime(input: RestoreDBClusterToPointInTimeCommandInput): Promise<DBCluster>;
  createInstance(input: CreateDBInstanceCommandInput): Promise<DBInstance>;
  modifyCluster(input: ModifyDBClusterCommandInput): Promise<DBCluster>;
  modifyInstance(input: ModifyDBInstanceCommandInput): Promise<DBInstance>;
  rebootInstance(id: string): Promise<DBInstance>;
  createClusterEndpoint(input: CreateDBClusterEndpointCommandInput): Promise<DBClusterEndpoint>;
  deleteClusterEndpoint(id: string): Promise<DBClusterEndpoint>;
  /** DeleteDBInstance (Aurora instances have no snapshot of their own). */
  deleteInstance(id: string): Promise<DBInstance>;
  /** DeleteDBCluster with SkipFinalSnapshot: only ever called on a cluster a restore created. */
  deleteCluster(id: string): Promise<DBCluster>;
  stopCluster(id: string): Promise<DBCluster>;
}

/** The API operation behind each method, for error messages and IAM advice. */
export const OPERATIONS: Record<Exclude<keyof RdsApi, 'region'>, string> = {
  describeClusters: 'DescribeDBClusters',
  describeInstances: 'DescribeDBInstances',
  describeClusterEndpoints: 'DescribeDBClusterEndpoints',
  describeAutomatedSnapshots: 'DescribeDBClusterSnapshots',
  restoreClusterToPointInTime: 'RestoreDBClusterToPointInTime',
  createInstance: 'CreateDBInstance',
  modifyCluster: 'ModifyDBCluster',
  modifyInstance: 'ModifyDBInstance',
  rebootInstance: 'RebootDBInstance',
  createClusterEndpoint: 'CreateDBClusterEndpoint',
  deleteClusterEndpoint: 'DeleteDBClusterEndpoint',
  deleteInstance: 'DeleteDBInstance',
  deleteCluster: 'DeleteDBCluster',
  stopCluster: 'StopDBCluster',
};
