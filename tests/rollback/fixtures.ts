/** A source Aurora cluster and its writer as DescribeDBClusters / DescribeDBInstances return them. */
import { RDSClient } from '@aws-sdk/client-rds';
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { createRdsApi } from '../../actions/rollback/rds-api.ts';

export const REGION = 'ap-northeast-1';
export const SOURCE = 'tokyobeta-prod-aurora-cluster-public';
export const WRITER = 'tokyobeta-prod-aurora-instance-1';
export const EARLIEST = new Date('2026-01-29T02:00:00Z');
export const LATEST = new Date('2026-02-05T11:55:00Z');

export function sourceCluster(over: Partial<DBCluster> = {}): DBCluster {
  return {
    DBClusterIdentifier: SOURCE,
    Status: 'available',
    Engine: 'aurora-mysql',
    EngineVersion: '8.0.mysql_aurora.3.05.2',
    Endpoint: `${SOURCE}.cluster-abc.${REGION}.rds.amazonaws.com`,
    ReaderEndpoint: `${SOURCE}.cluster-ro-abc.${REGION}.rds.amazonaws.com`,
    BackupRetentionPeriod: 7,
    EarliestRestorableTime: EARLIEST,
    LatestRestorableTime: LATEST,
    DBSubnetGroup: 'tokyobeta-public-subnets',
    VpcSecurityGroups: [
      { VpcSecurityGroupId: 'sg-0aa', Status: 'active' },
      { VpcSecurityGroupId: 'sg-0bb', Status: 'active' },
    ],
    DBClusterParameterGroup: 'tokyobeta-aurora-mysql8',
    DBClusterMembers: [
      { DBInstanceIdentifier: 'tokyobeta-prod-aurora-reader-1', IsClusterWriter: false },
      { DBInstanceIdentifier: WRITER, IsClusterWriter: true },
    ],
    ...over,
  };
}

export function writerInstance(over: Partial<DBInstance> = {}): DBInstance {
  return {
    DBInstanceIdentifier: WRITER,
    DBInstanceClass: 'db.r6g.large',
    Engine: 'aurora-mysql',
    DBInstanceStatus: 'available',
    PubliclyAccessible: true,
    DBParameterGroups: [{ DBParameterGroupName: 'tokyobeta-aurora-mysql8-instance', ParameterApplyStatus: 'in-sync' }],
    ...over,
  };
}

/** A mocked RDSClient and an RdsApi over it whose sleeps and waits are instant. */
export function mockedRds() {
  const client = new RDSClient({ region: REGION });
  const mock = mockClient(client);
  const sleeps: number[] = [];
  const api = createRdsApi(client, {
    region: REGION,
    backoffMs: 10,
    waiterDelaySeconds: { min: 0.001, max: 0.002 },
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { client, mock, api, sleeps };
}

/** An AWS service error as the SDK throws it. */
export function awsError(name: string, message = name, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}
