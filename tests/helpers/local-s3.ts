/**
 * A real S3-compatible HTTP server for tests (fauxqs, in memory), listening on loopback only,
 * and a client pointed at it. fauxqs's own start function listens on every interface, so its
 * app is built and bound to 127.0.0.1 here.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { buildApp } from 'fauxqs';

export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test-secret-key' };
export const LOCAL_S3_REGION = 'us-east-1';

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  /** Environment for a CLI run against this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalS3(): Promise<LocalS3> {
  const app = buildApp({ logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const endpoint = address.replace('localhost', '127.0.0.1');
  const client = new S3Client({ endpoint, region: LOCAL_S3_REGION, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS });
  return {
    endpoint,
    client,
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: LOCAL_S3_REGION,
    },
    async stop() {
      client.destroy();
      await app.close();
    },
  };
}
