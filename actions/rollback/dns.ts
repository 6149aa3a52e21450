/**
 * `Dns` over node:dns: the CNAME chain of a name and its IPv4 addresses. RDS endpoints have a
 * 5-second TTL, but resolvers in between may hold an answer longer, so the cutover polls until
 * the endpoint leads to the restored writer.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html
 */
import { promises as dns } from 'node:dns';
import type { Dns } from './schedule.ts';

const quiet = <T>(p: Promise<T[]>): Promise<T[]> => p.catch(() => []);

export const systemDns: Dns = {
  async resolve(host) {
    const names: string[] = [];
    let name = host;
    for (let hops = 0; hops < 8; hops++) {
      const [next] = await quiet(dns.resolveCname(name));
      if (!next) break;
      names.push(next);
      name = next;
    }
    return [...names, ...(await quiet(dns.resolve4(host)))];
  },
};
