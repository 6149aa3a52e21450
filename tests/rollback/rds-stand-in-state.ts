/**
 * The state of the RDS stand-in (rds-stand-in.ts): clusters, instances, custom endpoints and DNS
 * records, whose statuses change as the fake clock moves ('creating' until its time is up, then
 * 'available'), the faults to inject, and every call made.
 */
import { randomBytes } from 'node:crypto';
import { OPERATIONS, type DBCluster, type DBClusterEndpoint, type DBInstance } from '../../actions/rollback/rds-api.ts';
import type { Dns } from '../../actions/rollback/schedule.ts';
import { awsError, faultError, type FakeClock, type Fault } from './stand-in-faults.ts';

export const MIN = 60_000;

/** How long things take, in minutes (AWS's orders of magnitude). */
export const DURATIONS = { restore: 95, instance: 14, rename: 3, modify: 4, reboot: 2, delete: 6, endpoint: 2, stop: 5, dnsLag: 6 };

export interface Timed {
  status: string;
  next?: string;
  until?: number;
}

export type ClusterRec = DBCluster & Timed & { gone?: boolean };
export type InstanceRec = DBInstance & Timed & { gone?: boolean };
export type EndpointRec = DBClusterEndpoint & Timed & { gone?: boolean };

export const clone = <T>(x: T): T => structuredClone(x);

/** RDS identifier rules: 1-63 letters, digits, hyphens; a letter first; no trailing or double hyphen. */
export function checkIdentifier(param: string, id: unknown): void {
  if (typeof id !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(id) || id.endsWith('-') || id.includes('--'))
    throw awsError(
      'InvalidParameterValue',
      `The parameter ${param} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
}

/** The stand-in's state and how it moves with the clock; rds-stand-in.ts adds the operations. */
export class RdsStandInState {
  readonly region = 'ap-northeast-1';
  readonly account = '123456789012';
  clusters = new Map<string, ClusterRec>();
  instances = new Map<string, InstanceRec>();
  endpoints = new Map<string, EndpointRec>();
  /** Every call, in order: [operation, input]. */
  calls: Array<[string, unknown]> = [];
  faults: Fault[] = [];
  subnetGroups = new Set(['default', 'tokyobeta-public-subnets']);
  clusterParameterGroups = new Set(['default.aurora-mysql8.0', 'tokyobeta-aurora-mysql8']);
  parameterGroups = new Set(['default.aurora-mysql8.0', 'tokyobeta-aurora-mysql8-instance', 'tokyobeta-read-only']);
  /** Operations that fail with this error until cleared (e.g. the second rename). */
  failing = new Map<string, (input: unknown) => Error | undefined>();
  /** host → the name it is a CNAME of, and when that changed. */
  private dnsRecords = new Map<string, Array<{ at: number; target: string }>>();

  readonly clock: FakeClock;
  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  readonly dns: Dns = {
    resolve: async (host) => {
      const chain: string[] = [];
      let name = host;
      for (let i = 0; i < 5; i++) {
        const history = (this.dnsRecords.get(name) ?? []).filter((r) => r.at <= this.clock.now());
        const target = history.at(-1)?.target;
        if (!target) break;
        chain.push(target);
        name = target;
      }
      return chain;
    },
  };

  // ---- state that moves with the clock -------------------------------------------------

  protected tick(): void {
    const now = this.clock.now();
    const kinds: Array<[Map<string, Timed & { gone?: boolean }>, string]> = [
      [this.clusters, 'Status'],
      [this.instances, 'DBInstanceStatus'],
      [this.endpoints, 'Status'],
    ];
    for (const [map, field] of kinds) {
      for (const [id, r] of map) {
        if (r.until !== undefined && now >= r.until) {
          if (r.next === 'gone') {
            map.delete(id);
            continue;
          }
          r.status = r.next!;
          r.until = undefined;
          r.next = undefined;
        }
        (r as unknown as Record<string, string>)[field] = r.status;
      }
    }
    for (const c of this.clusters.values()) {
      if (c.status !== 'creating') c.LatestRestorableTime = new Date(now - 5 * MIN);
    }
  }

  protected setStatus(r: Timed, now: string, then: string, minutes: number): void {
    r.status = now;
    r.next = then;
    r.until = this.clock.now() + minutes * MIN;
  }

  protected cluster(id: string | undefined): ClusterRec {
    const c = id ? this.clusters.get(id) : undefined;
    if (!c) throw awsError('DBClusterNotFoundFault', `DBCluster ${id} not found.`, 404);
    return c;
  }

  protected instance(id: string | undefined): InstanceRec {
    const i = id ? this.instances.get(id) : undefined;
    if (!i) throw awsError('DBInstanceNotFoundFault', `DBInstance ${id} not found.`, 404);
    return i;
  }

  protected available(c: ClusterRec): void {
    if (c.status !== 'available')
      throw awsError('InvalidDBClusterStateFault', `DbCluster ${c.DBClusterIdentifier} is not in available state (it is ${c.status}).`);
  }

  protected endpointHost(name: string, kind: 'cluster' | 'cluster-ro' | 'instance' | 'cluster-custom'): string {
    return `${name}.${kind === 'instance' ? '' : `${kind}-`}c9akciq32.${this.region}.rds.amazonaws.com`;
  }

  /** The cluster endpoint follows the writer (after DNS's lag). */
  protected pointDns(c: ClusterRec, lagMinutes = DURATIONS.dnsLag): void {
    const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
    const target = writer ? this.instances.get(writer)?.Endpoint?.Address : undefined;
    if (!target || !c.Endpoint) return;
    const list = this.dnsRecords.get(c.Endpoint) ?? [];
    list.push({ at: this.clock.now() + lagMinutes * MIN, target });
    this.dnsRecords.set(c.Endpoint, list);
  }

  /** Runs one API call: injected faults first, then the service's rules. */
  protected call<T>(method: keyof typeof OPERATIONS, input: unknown, fn: () => T): Promise<T> {
    const op = OPERATIONS[method];
    this.calls.push([op, clone(input)]);
    this.tick();
    const fault = this.faults.find((f) => (f.operation === op || f.operation === '*') && f.times > 0);
    if (fault) {
      fault.times--;
      if (fault.after) {
        try {
          fn();
        } catch {
          // the call's own answer is lost with the connection
        }
      }
      return Promise.reject(faultError(fault.kind));
    }
    const failure = this.failing.get(op)?.(input);
    if (failure) return Promise.reject(failure);
    try {
      return Promise.resolve(clone(fn()));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Writes of the fake clock's RDS: operations (not describes) seen, by name. */
  mutations(): string[] {
    return this.calls.map(([op]) => op).filter((op) => !op.startsWith('Describe'));
  }

  // ---- seeding ------------------------------------------------------------------------

  addCluster(c: DBCluster): void {
    const id = c.DBClusterIdentifier!;
    this.clusters.set(id, {
      ...clone(c),
      status: c.Status ?? 'available',
      Endpoint: this.endpointHost(id, 'cluster'),
      ReaderEndpoint: this.endpointHost(id, 'cluster-ro'),
      DBClusterArn: `arn:aws:rds:${this.region}:${this.account}:cluster:${id}`,
      DbClusterResourceId: c.DbClusterResourceId ?? `cluster-${randomBytes(13).toString('hex').toUpperCase()}`,
      DBClusterMembers: [],
    });
    this.tick();
  }

  addInstance(i: DBInstance, writer: boolean): void {
    const id = i.DBInstanceIdentifier!;
    this.instances.set(id, { ...clone(i), status: 'available', Endpoint: { Address: this.endpointHost(id, 'instance'), Port: 3306 } });
    const c = this.cluster(i.DBClusterIdentifier);
    c.DBClusterMembers!.push({ DBInstanceIdentifier: id, IsClusterWriter: writer, PromotionTier: i.PromotionTier ?? 1 });
    if (writer) this.pointDns(c, 0);
    this.tick();
  }

  addEndpoint(e: DBClusterEndpoint): void {
    this.endpoints.set(e.DBClusterEndpointIdentifier!, {
      ...clone(e),
      EndpointType: 'CUSTOM',
      status: 'available',
      Endpoint: this.endpointHost(e.DBClusterEndpointIdentifier!, 'cluster-custom'),
    });
    this.tick();
  }
}
