/** What the waits poll: a cluster or instance being available, or gone; DescribeDB* through RdsApi. */
import { AwsCallError } from '../platform/aws-errors.ts';
import type { DBCluster, DBInstance, RdsApi } from './rds-api.ts';
import { failedStatus, type Probe } from './waits.ts';

const notFound = (err: unknown) => err instanceof AwsCallError && err.kind === 'not-found';

export async function findCluster(api: RdsApi, id: string): Promise<DBCluster | undefined> {
  try {
    return (await api.describeClusters(id))[0];
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

export async function findInstance(api: RdsApi, id: string): Promise<DBInstance | undefined> {
  try {
    return (await api.describeInstances({ id }))[0];
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

function available(status: string | undefined, what: string): Probe {
  const s = status ?? 'not found';
  return {
    done: s === 'available',
    status: s,
    failed: failedStatus(status)
      ? `${what} is '${s}', which waiting cannot change. To fix this, look at its events in the RDS console.`
      : undefined,
  };
}

export const clusterAvailable = (api: RdsApi, id: string) => async (): Promise<Probe> =>
  available((await findCluster(api, id))?.Status, `cluster ${id}`);

export const instanceAvailable = (api: RdsApi, id: string) => async (): Promise<Probe> =>
  available((await findInstance(api, id))?.DBInstanceStatus, `instance ${id}`);

/** Every listed instance available: one probe for all (one DescribeDBInstances per poll). */
export const instancesAvailable = (api: RdsApi, clusterId: string, ids: string[]) => async (): Promise<Probe> => {
  const seen = new Map((await api.describeInstances({ clusterId })).map((i) => [i.DBInstanceIdentifier!, i.DBInstanceStatus]));
  const states = ids.map((id) => `${id} ${seen.get(id) ?? 'not found'}`);
  const bad = ids.find((id) => failedStatus(seen.get(id)));
  return {
    done: ids.every((id) => seen.get(id) === 'available'),
    status: states.join(', '),
    failed: bad
      ? `instance ${bad} is '${seen.get(bad)}', which waiting cannot change. To fix this, look at its events in the RDS console.`
      : undefined,
  };
};

export const clusterGone = (api: RdsApi, id: string) => async (): Promise<Probe> => {
  const c = await findCluster(api, id);
  return { done: !c, status: c?.Status ?? 'gone' };
};

export const instancesGone = (api: RdsApi, clusterId: string) => async (): Promise<Probe> => {
  const left = await api.describeInstances({ clusterId });
  return {
    done: left.length === 0,
    status: left.length ? left.map((i) => `${i.DBInstanceIdentifier} ${i.DBInstanceStatus}`).join(', ') : 'gone',
  };
};
