/**
 * The world the dump describes: apartments and their rooms (small typed arrays), and the contract
 * history, which `contracts()` replays deterministically as often as a table needs it (movings,
 * tenants, inquiries all follow it). The world runs on a fixed clock (time-base.ts): the same
 * seed and scale give the same world whatever the dump date, and the dump date only cuts it.
 *
 * Memory is a few bytes per room and per tenant (typed arrays), never per-row objects.
 */
import { Calendar, dayOfCompact } from './calendar.ts';
import { fillContract, type Contract } from './contract-life.ts';
import { DIRTY, FORCED } from './dirty.ts';
import { lateCorrections, rentChanges, tenantTouches, type RentChanges } from './daily-events.ts';
import { hash32, Rng } from './prng.ts';
import { PLACES } from './pools.ts';
import { roomState, type RoomState } from './room-state.ts';
import { tenantAttributes } from './people.ts';
import { contractArrivals, countAt, EPOCH_DAY, EPOCH_SPAN, HISTORY_DAYS, HISTORY_START, LOOKAHEAD_DAYS } from './time-base.ts';

/**
 * Size of the vendor database by the epoch (2026-02-05) at scale 1 (DOMAIN.md: about 59,000
 * contracts over ~8 years): 60,000 `movings` rows, less the contracts of soft-deleted tenants, give
 * the report's 59,118 int_contracts. Later dump dates have more (the same daily rate continues).
 */
export const SCALE_1 = { contracts: 60_000, apartments: 260 } as const;

/** Inquiries per contract (web forms, calls, LINE messages): spread evenly over the days, at least one a day. */
export const INQUIRIES_PER_CONTRACT = 2.2;

/** What the planning pass learns, handed to worker threads so they need not replay the history. */
export interface WorldPlan {
  tenants: number;
  tenantsByDay: Int32Array;
}

export type { Contract } from './contract-life.ts';

export class World {
  readonly seed: number;
  readonly scale: number;
  readonly dumpDay: number;
  /** The last day the plan looks at: the dump date (or the epoch, if later) plus the lookahead. */
  readonly horizon: number;
  readonly calendar: Calendar;
  readonly apartments: number;
  readonly aptOpen: Int32Array;
  /** 0: never closes. Closing is known (status 9, closed_on) only from that day on. */
  readonly aptClose: Int32Array;
  /** The day the vendor entered the building and its rooms: its row exists from then on. */
  readonly aptCreated: Int32Array;
  readonly aptPlace: Uint8Array;
  /** First room of each apartment; one more element: the total. */
  readonly aptFirstRoom: Int32Array;
  readonly aptRooms: Int32Array;
  readonly rooms: number;
  readonly roomApartment: Int32Array;
  readonly roomType: Uint8Array;
  /** Rent and common fee when the room was created; rent changes (daily-events.ts) move them. */
  readonly roomRent: Int32Array;
  readonly roomFee: Int32Array;
  readonly rentChanges: RentChanges;
  /** Contracts by the epoch (the calibrated size) and by the dump date (the rows of movings). */
  readonly contractsAtEpoch: number;
  readonly contractsTotal: number;
  /** Cumulative contracts by day (time-base.ts), to the horizon. */
  readonly arrivals: Int32Array;
  /** Cumulative inquiries by day, to the horizon. */
  readonly inquiriesByDay: Int32Array;
  /** Apartments [0, firstGrowth) opened before the history; the rest are created in id order. */
  private readonly firstGrowth: number;

  /** Filled by the planning pass. */
  tenants = 0;
  /** Cumulative tenants by day (tenant ids grow with their first application), to the horizon. */
  tenantsByDay: Int32Array = new Int32Array(0);
  /** Contracts that found every room taken on their move-in day (the last pass). */
  doubleBooked = 0;
  /** First application day of each tenant, to the horizon (inquiries link to tenants who apply later). */
  tenantFirstDay: Int32Array = new Int32Array(0);
  tenantStatus: Uint8Array = new Uint8Array(0);
  /** The day of the last event of any of the tenant's contracts, by the dump date. */
  tenantUpdated: Int32Array = new Int32Array(0);
  /** The day the tenant last updated their contact details (0: never), by the dump date. */
  tenantTouched: Int32Array = new Int32Array(0);
  /** Contract id → the day of its last late correction, by the dump date. */
  corrections: Map<number, number> = new Map();
  /** Rooms on the dump date: rent, fee, status and the day the row last changed. */
  roomsNow: RoomState | undefined;

  constructor(seed: number, scale: number, dumpDate: string) {
    this.seed = seed;
    this.scale = scale;
    this.dumpDay = dayOfCompact(dumpDate);
    if (this.dumpDay < HISTORY_START) throw new Error(`dump date ${dumpDate} is before the history starts`);
    this.horizon = Math.max(this.dumpDay, EPOCH_DAY) + LOOKAHEAD_DAYS;
    this.calendar = new Calendar(HISTORY_START - 366 * 62, this.horizon + 366 * 4);
    const rng = new Rng(seed, 101);
    this.apartments = Math.max(6, Math.round(SCALE_1.apartments * scale));
    this.aptOpen = new Int32Array(this.apartments);
    this.aptClose = new Int32Array(this.apartments);
    this.aptCreated = new Int32Array(this.apartments);
    this.aptPlace = new Uint8Array(this.apartments);
    this.aptFirstRoom = new Int32Array(this.apartments + 1);
    this.aptRooms = new Int32Array(this.apartments);
    let rooms = 0;
    let firstGrowth = this.apartments;
    for (let a = 0; a < this.apartments; a++) {
      // 40% were open before the history starts; the rest open through it (growth), the last 3 %
      // in the months after the epoch. Drawn stratified by id (the vendor numbers apartments as it
      // enters them), so that a small dump grows like a large one.
      const r = (a + rng.next()) / this.apartments;
      if (r >= 0.4 && firstGrowth === this.apartments) firstGrowth = a;
      this.aptOpen[a] =
        r < 0.4
          ? HISTORY_START - rng.int(30, 2500)
          : r < 0.97
            ? HISTORY_START + Math.floor(((r - 0.4) / 0.57) * (HISTORY_DAYS - 30))
            : EPOCH_DAY + 10 + Math.floor(((r - 0.97) / 0.03) * 110);
      this.aptClose[a] = rng.chance(0.04) ? this.aptOpen[a]! + rng.int(400, 2000) : 0;
      // Entered 60-150 days before opening (before any application for its rooms), in id order.
      const created = this.aptOpen[a]! - rng.int(60, 150);
      this.aptCreated[a] = a > firstGrowth ? Math.max(created, this.aptCreated[a - 1]!) : created;
      this.aptPlace[a] = rng.int(0, PLACES.length - 1);
      this.aptFirstRoom[a] = rooms;
      this.aptRooms[a] = rng.chance(0.1) ? rng.int(50, 90) : rng.int(12, 36);
      rooms += this.aptRooms[a]!;
    }
    this.aptFirstRoom[this.apartments] = rooms;
    this.firstGrowth = firstGrowth;
    this.rooms = rooms;
    this.roomApartment = new Int32Array(rooms);
    this.roomType = new Uint8Array(rooms);
    this.roomRent = new Int32Array(rooms);
    this.roomFee = new Int32Array(rooms);
    for (let a = 0; a < this.apartments; a++) {
      const central = this.aptPlace[a]! < 24 ? 1 : 0.85;
      const dorm = this.aptRooms[a]! >= 40;
      for (let k = 0; k < this.aptRooms[a]!; k++) {
        const i = this.aptFirstRoom[a]! + k;
        this.roomApartment[i] = a;
        const type = dorm ? (rng.chance(0.8) ? 3 : 2) : rng.chance(0.75) ? 1 : 2;
        this.roomType[i] = type;
        const base = type === 1 ? rng.int(50, 90) : type === 2 ? rng.int(40, 56) : rng.int(29, 45);
        this.roomRent[i] = Math.round(base * central) * 1000;
        this.roomFee[i] = type === 3 ? 8000 : 10000;
      }
    }
    this.contractsAtEpoch = Math.max(10, Math.round(SCALE_1.contracts * scale));
    this.arrivals = contractArrivals(this.calendar, this.contractsAtEpoch, this.horizon);
    this.contractsTotal = countAt(this.arrivals, this.dumpDay);
    this.inquiriesByDay = inquiryArrivals(Math.round(this.contractsAtEpoch * INQUIRIES_PER_CONTRACT), this.horizon);
    this.rentChanges = rentChanges(this);
  }

  /** Apartments whose row exists on `day` (ids 1..n: they are entered in id order). */
  apartmentsAt(day: number): number {
    let lo = this.firstGrowth;
    let hi = this.apartments;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.aptCreated[mid]! <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rooms whose row exists on `day` (those of the apartments that exist). */
  roomsAt(day: number): number {
    return this.aptFirstRoom[this.apartmentsAt(day)]!;
  }

  tenantsAt(day: number): number {
    return countAt(this.tenantsByDay, day);
  }

  isForeign(tenantId: number): boolean {
    return tenantAttributes(this.seed, tenantId).nationality !== '日本';
  }

  /** A tenant id whose row is missing from `tenants` (hard-deleted by the vendor). */
  isPurged(tenantId: number): boolean {
    return tenantId === FORCED.purgedTenant || hash32(this.seed, 7001, tenantId) / 4294967296 < DIRTY.tenantPurged;
  }

  /** tenants.is_deleted = 1 */
  isSoftDeleted(tenantId: number): boolean {
    return tenantId === FORCED.softDeletedTenant || hash32(this.seed, 7002, tenantId) / 4294967296 < DIRTY.tenantSoftDeleted;
  }

  /**
   * Replays every contract applied by `until` (default: the dump date) in id order (application
   * order). Each contract draws from its own random stream; the rooms they take and the rents
   * they pay follow the days in order. The object yielded is reused.
   */
  *contracts(until = this.dumpDay): Generator<Contract> {
    const rng = new Rng(0);
    const stream = hash32(this.seed, 202);
    const freeFrom = new Int32Array(this.rooms).fill(-1e9);
    const rent = this.roomRent.slice();
    const changes = this.rentChanges;
    let change = 0;
    const c = {} as Contract;
    this.doubleBooked = 0;
    let id = 0;
    let tenants = 0;
    for (let d = HISTORY_START; d <= until; d++) {
      // The day's rent changes come first: an application pays the rent of its day.
      while (change < changes.length && changes.day[change]! <= d) {
        rent[changes.room[change]!] = changes.rent[change]!;
        change++;
      }
      const last = countAt(this.arrivals, d);
      while (id < last) {
        id++;
        rng.reset(stream, id);
        // A returning tenant (one in ten) applies again under the same id.
        c.tenantId = tenants > 50 && rng.chance(0.1) ? rng.int(Math.max(1, tenants - 3000), tenants) : ++tenants;
        fillContract(this, c, rng, id, d, freeFrom, rent);
        yield c;
      }
    }
  }

  /**
   * Runs the contract history once, to the horizon, to learn the tenants (count by day, first
   * day, latest status, last change), the rooms on the dump date, and the day's small events
   * (late corrections of contracts, tenants' contact updates: daily-events.ts).
   */
  plan(): this {
    const most = countAt(this.arrivals, this.horizon) + 1;
    const first = new Int32Array(most);
    const status = new Uint8Array(most);
    const updated = new Int32Array(most);
    const byDay = new Int32Array(this.horizon - HISTORY_START + 1);
    const rooms = roomState(this);
    let max = 0;
    let day = HISTORY_START;
    for (const c of this.contracts(this.horizon)) {
      while (day < c.applicationDay) byDay[day++ - HISTORY_START] = max;
      if (c.tenantId > max) {
        max = c.tenantId;
        first[max] = c.applicationDay;
      }
      if (c.applicationDay > this.dumpDay) continue;
      status[c.tenantId] = c.tenantStatus;
      if (c.updatedDay > updated[c.tenantId]!) updated[c.tenantId] = c.updatedDay;
      rooms.add(c);
    }
    while (day <= this.horizon) byDay[day++ - HISTORY_START] = max;
    this.tenantsByDay = byDay;
    this.tenants = this.tenantsAt(this.dumpDay);
    this.tenantFirstDay = first;
    this.tenantStatus = status;
    this.tenantUpdated = updated;
    this.tenantTouched = tenantTouches(this);
    this.corrections = lateCorrections(this);
    this.roomsNow = rooms.finish();
    return this;
  }

  /** What a worker thread needs of the plan (it builds log and vendor rows, which refer to tenants). */
  planned(): WorldPlan {
    return { tenants: this.tenants, tenantsByDay: this.tenantsByDay };
  }

  /** Takes a plan made by another thread's World of the same seed, scale and date. */
  adopt(plan: WorldPlan): this {
    this.tenants = plan.tenants;
    this.tenantsByDay = plan.tenantsByDay;
    return this;
  }
}

/**
 * Cumulative inquiries by day: `atEpoch` by the epoch, spread evenly over its days and at the same
 * rate after it, at least one a day (the vendor's site is never quiet for a whole day).
 */
function inquiryArrivals(atEpoch: number, lastDay: number): Int32Array {
  const cumulative = new Int32Array(lastDay - HISTORY_START + 1);
  let n = 0;
  for (let i = 0; i < cumulative.length; i++) {
    const even = Math.floor(((i + 1) * atEpoch) / EPOCH_SPAN) - Math.floor((i * atEpoch) / EPOCH_SPAN);
    n += Math.max(1, even);
    cumulative[i] = n;
  }
  return cumulative;
}
