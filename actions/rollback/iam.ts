/**
 * IAM database authentication names the cluster's resource id: `rds-db:connect` is allowed on
 * `arn:aws:rds-db:<region>:<account>:dbuser:<DbClusterResourceId>/<user>`. A restored cluster is a
 * new cluster with a new resource id, and a rename does not change it, so after the cutover every
 * policy that lets a user connect (the ETL role, the BI tool's, the rollback role's reader) must
 * name the new id, or IAM logins fail with "Access denied".
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
 */
import type { DBCluster } from './rds-api.ts';

export interface IamChange {
  oldResourceId: string;
  newResourceId: string;
  oldResource: string;
  newResource: string;
  /** The statement to put in place of the old one, exactly. */
  statement: string;
}

export function iamChange(source: DBCluster, restored: DBCluster): IamChange | undefined {
  const oldId = source.DbClusterResourceId;
  const newId = restored.DbClusterResourceId;
  if (!oldId || !newId || oldId === newId) return undefined;
  // arn:aws:rds:<region>:<account>:cluster:<name>
  const [, partition = 'aws', , region = '<region>', account = '<account>'] = (restored.DBClusterArn ?? source.DBClusterArn ?? '').split(
    ':',
  );
  const base = `arn:${partition}:rds-db:${region}:${account}:dbuser`;
  const oldResource = `${base}:${oldId}/*`;
  const newResource = `${base}:${newId}/*`;
  const statement = JSON.stringify({ Effect: 'Allow', Action: 'rds-db:connect', Resource: newResource }, null, 2);
  return { oldResourceId: oldId, newResourceId: newId, oldResource, newResource, statement };
}
