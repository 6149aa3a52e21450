/**
 * `RdsApi` over the SDK's RDSClient: each method is one command, Describe* calls follow their
 * Marker pages. Errors are the SDK's, unchanged (rds-retry.ts retries and describes them).
 */
import {
  CreateDBClusterEndpointCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterEndpointCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterEndpointsCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  RestoreDBClusterToPointInTimeCommand,
  StopDBClusterCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { RdsApi } from './rds-api.ts';

/** Collects every page of a Describe* call. */
async function pages<T>(fetch: (marker?: string) => Promise<{ items?: T[]; marker?: string }>): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    all.push(...(page.items ?? []));
    marker = page.marker;
  } while (marker);
  return all;
}

export function createSdkRdsApi(client: RDSClient, region: string): RdsApi {
  return {
    region,
    describeClusters: (id) =>
      pages(async (Marker) => {
        const out = await client.send(new DescribeDBClustersCommand({ ...(id ? { DBClusterIdentifier: id } : {}), Marker }));
        return { items: out.DBClusters, marker: out.Marker };
      }),
    describeInstances: (by) =>
      pages(async (Marker) => {
        const filter = 'id' in by ? { DBInstanceIdentifier: by.id } : { Filters: [{ Name: 'db-cluster-id', Values: [by.clusterId] }] };
        const out = await client.send(new DescribeDBInstancesCommand({ ...filter, Marker }));
        return { items: out.DBInstances, marker: out.Marker };
      }),
    describeClusterEndpoints: (clusterId) =>
      pages(async (Marker) => {
        const out = await client.send(new DescribeDBClusterEndpointsCommand({ DBClusterIdentifier: clusterId, Marker }));
        return { items: out.DBClusterEndpoints, marker: out.Marker };
      }),
    describeAutomatedSnapshots: (clusterId) =>
      pages(async (Marker) => {
        const out = await client.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: clusterId, SnapshotType: 'automated', Marker }),
        );
        return { items: out.DBClusterSnapshots, marker: out.Marker };
      }),
    restoreClusterToPointInTime: async (input) =>
      (await client.send(new RestoreDBClusterToPointInTimeCommand(input))).DBCluster ?? { DBClusterIdentifier: input.DBClusterIdentifier },
    createInstance: async (input) =>
      (await client.send(new CreateDBInstanceCommand(input))).DBInstance ?? { DBInstanceIdentifier: input.DBInstanceIdentifier },
    modifyCluster: async (input) =>
      (await client.send(new ModifyDBClusterCommand(input))).DBCluster ?? { DBClusterIdentifier: input.DBClusterIdentifier },
    modifyInstance: async (input) =>
      (await client.send(new ModifyDBInstanceCommand(input))).DBInstance ?? { DBInstanceIdentifier: input.DBInstanceIdentifier },
    rebootInstance: async (id) =>
      (await client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: id }))).DBInstance ?? { DBInstanceIdentifier: id },
    createClusterEndpoint: async (input) => await client.send(new CreateDBClusterEndpointCommand(input)),
    deleteClusterEndpoint: async (id) => await client.send(new DeleteDBClusterEndpointCommand({ DBClusterEndpointIdentifier: id })),
    deleteInstance: async (id) =>
      (await client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id }))).DBInstance ?? {
        DBInstanceIdentifier: id,
      },
    deleteCluster: async (id) =>
      (await client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true }))).DBCluster ?? {
        DBClusterIdentifier: id,
      },
    stopCluster: async (id) =>
      (await client.send(new StopDBClusterCommand({ DBClusterIdentifier: id }))).DBCluster ?? { DBClusterIdentifier: id },
  };
}
