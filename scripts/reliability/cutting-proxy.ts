/**
 * A TCP proxy on a loopback port that cuts a connection after N bytes from the server: S3 dropping
 * the connection in the middle of a download. Only the first `cuts` connections are cut; later
 * ones (the client's retries) pass through, so a client that resumes or retries gets its object.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface CuttingProxy {
  readonly port: number;
  /** Connections cut so far, and bytes relayed before each cut. */
  readonly cutsDone: number[];
  readonly connections: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: { host: string; port: number }, cutAfterBytes: number, cuts = 1): Promise<CuttingProxy> {
  const cutsDone: number[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections++;
    const cutThis = cutsDone.length < cuts;
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let relayed = 0;
    let cut = false;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d: Buffer) => {
      if (cut) return;
      if (cutThis && relayed + d.length >= cutAfterBytes) {
        const keep = Math.max(0, cutAfterBytes - relayed);
        cut = true;
        cutsDone.push(relayed + keep);
        client.write(d.subarray(0, keep), () => {
          // An abrupt reset, as a dropped network path looks to the client.
          client.resetAndDestroy();
          upstream.destroy();
        });
        return;
      }
      relayed += d.length;
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cutsDone,
    get connections() {
      return connections;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
