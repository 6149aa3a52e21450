/**
 * The versions a dbt snapshot must hold, computed from each day's source rows without the
 * snapshot engine (dbt's rules, DOMAIN.md "History"): a check snapshot opens a version when a
 * checked column differs from the current one, dated the run's as_of_date; the timestamp snapshot
 * when updated_at is later, dated updated_at; a row missing from the source closes its version
 * (hard_deletes: invalidate).
 */

type Value = string | null;

interface SnapshotSpec {
  source: string;
  /** The snapshot's columns, as its SELECT names them (id first). */
  columns: string[];
  /** Columns whose zero dates the SELECT writes as NULL. */
  dates: string[];
  /** check strategy: the checked columns; timestamp strategy: the updated_at column. */
  check?: string[];
  updatedAt?: string;
}

const MOVINGS_DATES = ['contract_date', 'movein_date', 'planned_moveout_date', 'moveout_notice_date', 'moveout_date', 'updated_at'];

/** The three snapshots of snapshots/*.sql. */
export const SNAPSHOTS = {
  snap_rooms: {
    source: 'rooms',
    columns: ['id', 'apartment_id', 'room_number', 'rent', 'common_fee', 'status'],
    dates: [],
    check: ['rent', 'common_fee', 'status'],
  },
  snap_tenants: {
    source: 'tenants',
    columns: ['id', 'status', 'affiliation_type', 'personal_identity', 'is_deleted'],
    dates: [],
    check: ['status', 'affiliation_type', 'personal_identity', 'is_deleted'],
  },
  snap_movings: {
    source: 'movings',
    columns: ['id', 'tenant_id', 'apartment_id', 'room_id', 'contract_type', ...MOVINGS_DATES, 'rent', 'cancel_flag'],
    dates: MOVINGS_DATES,
    updatedAt: 'updated_at',
  },
} as const satisfies Record<string, SnapshotSpec>;

export type SnapshotName = keyof typeof SNAPSHOTS;

interface Version {
  values: Value[];
  from: string;
  to: string | null;
}

export class ExpectedSnapshot {
  private readonly spec: SnapshotSpec;
  private readonly versions: Version[] = [];
  private readonly current = new Map<string, Version>();

  constructor(name: SnapshotName) {
    this.spec = SNAPSHOTS[name];
  }

  /** One day's run: the source rows (the snapshot's columns, as strings) at `at`. */
  apply(rows: Value[][], at: string): { opened: number; closed: number } {
    let opened = 0;
    let closed = 0;
    const seen = new Set<string>();
    const index = (c: string) => this.spec.columns.indexOf(c);
    const open = (values: Value[], from: string) => {
      const v = { values, from, to: null };
      this.versions.push(v);
      this.current.set(values[0]!, v);
      opened++;
    };
    for (const values of rows) {
      const key = values[0]!;
      seen.add(key);
      const now = this.current.get(key);
      if (this.spec.updatedAt) {
        const u = index(this.spec.updatedAt);
        if (!now) open(values, values[u]!);
        else if (values[u]! > now.values[u]!) {
          now.to = values[u]!;
          closed++;
          open(values, values[u]!);
        }
      } else if (!now) open(values, at);
      else if (this.spec.check!.some((c) => values[index(c)] !== now.values[index(c)])) {
        now.to = at;
        closed++;
        open(values, at);
      }
    }
    for (const [key, v] of this.current) {
      if (seen.has(key)) continue;
      v.to = at;
      closed++;
      this.current.delete(key);
    }
    return { opened, closed };
  }

  /**
   * The history's changes as the gold models list them (room_rent_changes, tenant_status_changes):
   * per id, each version after the first whose `columns` differ from the version before, as
   * [id, day it starts, old values..., new values...] (columns in the order given).
   */
  changes(columns: string[]): Value[][] {
    const at = columns.map((c) => this.spec.columns.indexOf(c));
    const out: Value[][] = [];
    let prev: Value[] | undefined;
    for (const row of this.rows()) {
      if (prev && prev[0] === row[0] && at.some((i) => prev![i] !== row[i])) {
        out.push([row[0]!, row[this.spec.columns.length]!.slice(0, 10), ...at.flatMap((i) => [prev![i]!, row[i]!])]);
      }
      prev = row;
    }
    return out;
  }

  /** The snapshot table's rows: columns, dbt_valid_from, dbt_valid_to, by id and valid_from. */
  rows(): Value[][] {
    const key = (v: Version) => Number(v.values[0]);
    return [...this.versions]
      .sort((a, b) => key(a) - key(b) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
      .map((v) => [...v.values, v.from, v.to]);
  }
}
