/**
 * S3 dropping the connection mid-download: the day's dump is served by a real S3-compatible server
 * on a loopback port (fauxqs, the one the loader's own tests use), through a proxy that cuts the
 * connection after a share of the dump's bytes. Cut once, the run must resume or retry and publish
 * exactly the new day; cut on every attempt, it must give up with one clear line and change nothing.
 */
import { statSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { startCuttingProxy } from './cutting-proxy.ts';
import { faultCycle } from './faults.ts';
import type { Fixture } from './fixture.ts';
import { newOutcome, type Outcome } from './outcome.ts';
import { startPipeline } from './pipeline-process.ts';

const BUCKET = 't-rel-vendor-drop';

export async function s3DropCycles(f: Fixture): Promise<Outcome[]> {
  const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const outcomes: Outcome[] = [];
  try {
    const s3 = new S3Client({
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
      region: 'ap-northeast-1',
      credentials: { accessKeyId: f.aws.AWS_ACCESS_KEY_ID!, secretAccessKey: f.aws.AWS_SECRET_ACCESS_KEY! },
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const d of f.days)
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `gghouse/${basename(d.dump)}`, Body: readFileSync(d.dump) }));
    for (const [label, cuts, share] of [
      ['S3 drops the connection once, 40% into the download', 1, 0.4],
      // Each resumed download is cut again after 5% of the file: six attempts get 30% of it, so the
      // loader must give up. (Cut at 30%, four resumes fetch the whole file, and succeeding is right.)
      ['S3 drops the connection on every attempt, 5% of the file into each download', 1000, 0.05],
    ] as const) {
      const to = (1 - f.current) as 0 | 1;
      const size = statSync(f.days[to].dump).size;
      const proxy = await startCuttingProxy({ host: '127.0.0.1', port: server.port }, Math.floor(size * share), cuts);
      try {
        const o = await faultCycle(f, 'S3', label, async (args, env) => {
          // The same run, but the dump comes from the S3 prefix through the cutting proxy.
          const s3Args = args.map((a) => (a === f.days[to].dump ? `s3://${BUCKET}/gghouse/` : a));
          const run = startPipeline([...s3Args, '--date', f.days[to].date], {
            env: { ...env, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${proxy.port}`, AWS_ENDPOINT_URL: `http://127.0.0.1:${proxy.port}` },
          });
          const exit = await run.done;
          return {
            injected: proxy.cutsDone.length > 0,
            exit,
            stage: 'load',
            detail: `${proxy.cutsDone.length} connection(s) cut, ${proxy.connections} opened`,
          };
        });
        o.figures = { ...o.figures, connectionsCut: proxy.cutsDone.length, connections: proxy.connections };
        o.checks.push(`${proxy.cutsDone.length} connection(s) cut of ${proxy.connections} opened; exit ${o.exitCode}`);
        if (cuts > 1 && o.exitCode === 0) o.problems.push('every download was cut, yet the run reported success');
        outcomes.push(o);
      } finally {
        await proxy.close();
      }
    }
  } catch (err) {
    const o = newOutcome('S3', 'S3 dropping the connection');
    o.problems.push(`the harness failed: ${(err as Error).message}`);
    outcomes.push(o);
  } finally {
    await server.stop();
  }
  return outcomes;
}
