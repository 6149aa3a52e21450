/**
 * The SDK wiring of RdsApi: the real RDSClient (Query protocol, XML answers) over an HTTP handler
 * that plays the service, so the client's retries (maxAttempts > 1), the commands' shapes and the
 * parsing of the answers are what production runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { RDSClient } from '@aws-sdk/client-rds';
import { createSdkRdsApi } from '../../actions/rollback/rds-sdk.ts';
import { RDS_MAX_ATTEMPTS } from '../../scripts/cli/aws-clients.ts';

const cluster = (id: string) => `<DBCluster><DBClusterIdentifier>${id}</DBClusterIdentifier><Status>available</Status>
  <TagList><Tag><Key>tokyobeta-pipeline:restored-from</Key><Value>prod</Value></Tag></TagList></DBCluster>`;

function page(marker: string | undefined, ids: string[]): string {
  return `<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult>
    ${marker ? `<Marker>${marker}</Marker>` : ''}<DBClusters>${ids.map(cluster).join('')}</DBClusters>
  </DescribeDBClustersResult></DescribeDBClustersResponse>`;
}

test('the SDK client retries a 5xx itself, sends the Query protocol, and every page of DescribeDBClusters is read', async () => {
  const bodies: string[] = [];
  let failures = 2;
  const client = new RDSClient({
    region: 'ap-northeast-1',
    maxAttempts: RDS_MAX_ATTEMPTS,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      async handle(req: { body?: unknown }) {
        const body = String(req.body);
        bodies.push(body);
        // An HttpResponse as the SDK's handlers return it: status, headers, a body stream.
        const respond = (statusCode: number, xml: string) => ({
          response: { statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) },
        });
        if (failures-- > 0)
          return respond(
            500,
            '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>try again</Message></Error></ErrorResponse>',
          );
        return respond(200, body.includes('Marker=m2') ? page(undefined, ['c3']) : page('m2', ['c1', 'c2']));
      },
    },
  });
  assert.ok(RDS_MAX_ATTEMPTS > 1);
  const api = createSdkRdsApi(client, 'ap-northeast-1');
  const all = await api.describeClusters();
  assert.deepEqual(
    all.map((c) => c.DBClusterIdentifier),
    ['c1', 'c2', 'c3'],
  );
  assert.equal(all[0]!.TagList![0]!.Value, 'prod');
  assert.equal(bodies.length, 4, 'two 5xx retried by the SDK, then two pages');
  assert.match(bodies[0]!, /Action=DescribeDBClusters/);
  assert.match(bodies[3]!, /Marker=m2/);
  client.destroy();
});
