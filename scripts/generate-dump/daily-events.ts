/**
 * The small events of a day that are not a contract's own: a few rooms get a new rent or common
 * fee, the staff correct a few older contracts (a late correction: the row's updated_at moves to
 * the correcting day), a few tenants update their contact details. Each day's events are drawn
 * from a hash of the seed and the day alone, so a day's dump holds exactly the events up to it,
 * the same in every later dump. At least one of each kind happens every day at any scale, so even
 * a tiny dump changes from one day to the next (and its sources stay fresh).
 */
import { hash32 } from './prng.ts';
import { countAt, eventsOn, HISTORY_START } from './time-base.ts';

/** What the day's events need of the world (World in world.ts has it all). */
export interface EventWorld {
  readonly seed: number;
  readonly scale: number;
  readonly dumpDay: number;
  readonly horizon: number;
  readonly rooms: number;
  readonly roomApartment: Int32Array;
  readonly roomRent: Int32Array;
  readonly roomFee: Int32Array;
  readonly aptClose: Int32Array;
  /** Cumulative contracts by day (time-base.ts). */
  readonly arrivals: Int32Array;
  readonly tenants: number;
  roomsAt(day: number): number;
  tenantsAt(day: number): number;
}

/** A room's rent or fee changes about once in this many days (at scale 1, ~10 rooms a day). */
const DAYS_BETWEEN_RENT_CHANGES = 730;
/** Late corrections of contracts per day at scale 1. */
const CORRECTIONS_PER_DAY = 3;
/** A corrected contract was applied for 7 to 120 days before. */
const CORRECTION_AGE = { min: 7, max: 120 } as const;
/** Tenants updating their contact details per day at scale 1. */
const TOUCHES_PER_DAY = 4;

/** Every rent change, in day order: the room's new rent and common fee from that day on. */
export interface RentChanges {
  length: number;
  day: Int32Array;
  room: Int32Array;
  rent: Int32Array;
  fee: Int32Array;
}

const unit = (h: number) => h / 4294967296;

/**
 * The rent changes from the history's start to the world's horizon. A change sets the rent
 * (7 in 10), the common fee (2 in 10) or both to a value near the room's first one (rent -3,000
 * to +5,000 yen, fee -1,000 to +2,000), never the value it had; rooms of closed apartments keep theirs.
 */
export function rentChanges(w: EventWorld): RentChanges {
  const rent = w.roomRent.slice();
  const fee = w.roomFee.slice();
  const days: number[] = [];
  const rooms: number[] = [];
  const rents: number[] = [];
  const fees: number[] = [];
  for (let d = HISTORY_START; d <= w.horizon; d++) {
    const existing = w.roomsAt(d);
    if (existing === 0) continue;
    const n = eventsOn(w.rooms / DAYS_BETWEEN_RENT_CHANGES, hash32(w.seed, 8100, d));
    for (let k = 0; k < n; k++) {
      const i = Math.floor(unit(hash32(w.seed, 8101, d, k)) * existing);
      const close = w.aptClose[w.roomApartment[i]!]!;
      if (close !== 0 && close <= d) continue;
      const kind = hash32(w.seed, 8102, d, k) % 10;
      const h = hash32(w.seed, 8103, d, k);
      if (kind < 7 || kind === 9) {
        let r = w.roomRent[i]! + ((h % 9) - 3) * 1000;
        if (r === rent[i]) r += 1000;
        rent[i] = r;
      }
      if (kind >= 7) {
        let f = w.roomFee[i]! + (((h >>> 8) % 4) - 1) * 1000;
        if (f === fee[i]) f += 1000;
        fee[i] = f;
      }
      days.push(d);
      rooms.push(i);
      rents.push(rent[i]!);
      fees.push(fee[i]!);
    }
  }
  return {
    length: days.length,
    day: Int32Array.from(days),
    room: Int32Array.from(rooms),
    rent: Int32Array.from(rents),
    fee: Int32Array.from(fees),
  };
}

/** Contract id → the day of its last late correction, up to the dump date. */
export function lateCorrections(w: EventWorld): Map<number, number> {
  const last = new Map<number, number>();
  for (let d = HISTORY_START; d <= w.dumpDay; d++) {
    const lo = countAt(w.arrivals, d - CORRECTION_AGE.max);
    const hi = countAt(w.arrivals, d - CORRECTION_AGE.min);
    if (hi <= lo) continue;
    const n = eventsOn(CORRECTIONS_PER_DAY * w.scale, hash32(w.seed, 8200, d));
    for (let k = 0; k < n; k++) last.set(lo + 1 + Math.floor(unit(hash32(w.seed, 8201, d, k)) * (hi - lo)), d);
  }
  return last;
}

/** The rent a correction on `day` writes: the contract's rent, 1,000 to 3,000 yen up or down (the discount entered late). */
export function correctedRent(seed: number, id: number, day: number, rent: number): number {
  const step = hash32(seed, 8202, id, day) % 6;
  return rent + (step < 3 ? step - 3 : step - 2) * 1000;
}

/** Tenant id → the day they last updated their contact details (0: never), up to the dump date. */
export function tenantTouches(w: EventWorld): Int32Array {
  const touched = new Int32Array(w.tenants + 1);
  for (let d = HISTORY_START; d <= w.dumpDay; d++) {
    const existing = w.tenantsAt(d - 1);
    if (existing === 0) continue;
    const n = eventsOn(TOUCHES_PER_DAY * w.scale, hash32(w.seed, 8300, d));
    for (let k = 0; k < n; k++) touched[1 + Math.floor(unit(hash32(w.seed, 8301, d, k)) * existing)] = d;
  }
  return touched;
}

/** The phone number a tenant gave on `day`. */
export function touchedTel(seed: number, id: number, day: number): string {
  const h = hash32(seed, 8302, id, day);
  const g = hash32(seed, 8303, id, day);
  return `0${['80', '90', '70'][h % 3]}-${1000 + ((h >>> 2) % 9000)}-${1000 + (g % 9000)}`;
}
