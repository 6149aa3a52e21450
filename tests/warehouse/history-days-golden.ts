/**
 * The story of five generated days (scale 0.01, seed 2, 2026-02-05 to 2026-02-09) as
 * history-days.test.ts sees it after each day's `daily`: versions opened and closed per snapshot,
 * and the rows of the history's gold models. A change of the generator or of the snapshot engine
 * that alters the history changes these numbers: check the change is meant, then update them.
 */

export interface DaySummary {
  date: string;
  /** Versions [opened, closed] by the day's run. */
  snapshots: Record<string, [number, number]>;
  room_rent_changes: number;
  tenant_status_changes: number;
}

// prettier-ignore
export const HISTORY_DAYS_GOLDEN: DaySummary[] = [
  {
    date: '2026-02-05',
    snapshots: { snap_rooms: [156, 0], snap_tenants: [542, 0], snap_movings: [600, 0] },
    room_rent_changes: 0,
    tenant_status_changes: 0,
  },
  {
    date: '2026-02-06',
    snapshots: { snap_rooms: [1, 1], snap_tenants: [1, 1], snap_movings: [2, 2] },
    room_rent_changes: 1,
    tenant_status_changes: 1,
  },
  {
    date: '2026-02-07',
    snapshots: { snap_rooms: [2, 2], snap_tenants: [1, 1], snap_movings: [2, 2] },
    room_rent_changes: 2,
    tenant_status_changes: 2,
  },
  {
    date: '2026-02-08',
    snapshots: { snap_rooms: [1, 1], snap_tenants: [2, 1], snap_movings: [3, 2] },
    room_rent_changes: 3,
    tenant_status_changes: 3,
  },
  {
    date: '2026-02-09',
    snapshots: { snap_rooms: [1, 1], snap_tenants: [1, 1], snap_movings: [2, 2] },
    room_rent_changes: 4,
    tenant_status_changes: 4,
  },
];
