/**
 * The world the dump describes, planned once from seed, scale and dump date: apartments and
 * their rooms (small typed arrays), and the contract history, which `contracts()` replays
 * deterministically as often as a table needs it (movings, tenants, inquiries all follow it).
 *
 * Memory is a few bytes per room and per tenant (typed arrays), never per-row objects.
 */
import { businessDayOnOrAfter, businessDayOnOrBefore, Calendar, dayOfCompact, isWeekend } from './calendar.ts';
import {
  CONTRACT_TYPE,
  CONTRACT_TYPE_WEEKEND,
  END_OF_TERM_REASON,
  CORPORATE_CONTRACT_TYPES,
  MOVEOUT_REASON,
  MOVEOUT_REASON_FOREIGN,
  SHORT_TERM_CONTRACT_TYPES,
  TENANT_STATUS,
} from './codes.ts';
import { hash32, Rng } from './prng.ts';
import { PLACES } from './pools.ts';
import { SHAPE } from './shape.ts';
import { tenantAttributes } from './people.ts';

/**
 * Size of the vendor database at scale 1 (DOMAIN.md: about 59,000 contracts over ~8 years): 60,000
 * `movings` rows, less the contracts of soft-deleted tenants, give the report's 59,118 int_contracts.
 */
export const SCALE_1 = { contracts: 60_000, apartments: 260, historyDays: 8 * 365 + 2 } as const;

/** Dirty-data rates (README.md lists them). */
export const DIRTY = {
  /** movings.contract_type NULL */
  contractTypeNull: 0.005,
  /** a tenant row that was hard-deleted: movings pointing at it have no tenant */
  tenantPurged: 0.003,
  /** tenants.is_deleted = 1 */
  tenantSoftDeleted: 0.015,
  /** a missing movings date written as '0000-00-00' instead of NULL */
  zeroDateForNull: 0.015,
  /** a known movings.planned_moveout_date written as '0000-00-00' */
  zeroPlannedMoveout: 0.004,
} as const;

/**
 * Ids that always carry a dirty-data rule, so that even a tiny dump (tests, --scale 0.001) holds
 * every kind of dirt the silver layer must clean. Rates above add more at every scale.
 */
export const FORCED = {
  purgedTenant: 5,
  softDeletedTenant: 3,
  nullContractType: 10,
  cancelled: 11,
  zeroPlannedMoveout: 12,
} as const;

const SEASON = [0, 1.1, 1.35, 1.6, 1.3, 0.9, 0.85, 0.9, 0.95, 1.1, 1.0, 0.85, 0.7];

/** One contract (a movings row) as the simulation produces it; reused between yields. */
export interface Contract {
  id: number;
  tenantId: number;
  roomIndex: number;
  /** 0 when NULL (dirty). */
  contractType: number;
  cancelled: boolean;
  applicationDay: number;
  applicationSecond: number;
  /** -1 when not (yet) contracted. */
  contractDay: number;
  moveinDay: number;
  plannedMoveoutDay: number;
  /** -1 when unknown at the dump date. */
  noticeDay: number;
  moveoutDay: number;
  moveoutReason: number;
  rent: number;
  deposit: number;
  /** Last change, as (day, second), never after the dump date. */
  updatedDay: number;
  updatedSecond: number;
  /** Status the tenant has because of this contract. */
  tenantStatus: number;
}

export class World {
  readonly dumpDay: number;
  readonly startDay: number;
  readonly calendar: Calendar;
  readonly apartments: number;
  readonly aptOpen: Int32Array;
  readonly aptClose: Int32Array;
  readonly aptPlace: Uint8Array;
  readonly aptFirstRoom: Int32Array;
  readonly aptRooms: Int32Array;
  readonly rooms: number;
  readonly roomApartment: Int32Array;
  readonly roomType: Uint8Array;
  readonly roomRent: Int32Array;
  readonly contractsTotal: number;
  /** Filled by the planning pass. */
  tenants = 0;
  /** Contracts that found every room taken on their move-in day (the last pass). */
  doubleBooked = 0;
  tenantFirstDay: Int32Array = new Int32Array(0);
  tenantStatus: Uint8Array = new Uint8Array(0);

  readonly seed: number;
  readonly scale: number;
  constructor(seed: number, scale: number, dumpDate: string) {
    this.seed = seed;
    this.scale = scale;
    this.dumpDay = dayOfCompact(dumpDate);
    this.startDay = this.dumpDay - SCALE_1.historyDays;
    this.calendar = new Calendar(this.startDay - 366 * 62, this.dumpDay + 366 * 4);
    const rng = new Rng(seed, 101);
    this.apartments = Math.max(6, Math.round(SCALE_1.apartments * scale));
    this.aptOpen = new Int32Array(this.apartments);
    this.aptClose = new Int32Array(this.apartments);
    this.aptPlace = new Uint8Array(this.apartments);
    this.aptFirstRoom = new Int32Array(this.apartments);
    this.aptRooms = new Int32Array(this.apartments);
    let rooms = 0;
    for (let a = 0; a < this.apartments; a++) {
      // 40% were open before the history starts; the rest open through it (growth), a few
      // open after the dump date (status 'preparing'). Drawn stratified by id (the vendor
      // numbers apartments as it opens them), so that a small dump grows like a large one.
      const r = (a + rng.next()) / this.apartments;
      this.aptOpen[a] =
        r < 0.4
          ? this.startDay - rng.int(30, 2500)
          : r < 0.97
            ? this.startDay + Math.floor(((r - 0.4) / 0.57) * (SCALE_1.historyDays - 30))
            : this.dumpDay + rng.int(10, 120);
      this.aptClose[a] = rng.chance(0.04) ? Math.min(this.dumpDay - 5, this.aptOpen[a]! + rng.int(400, 2000)) : 0;
      if (this.aptClose[a]! !== 0 && this.aptClose[a]! <= this.aptOpen[a]!) this.aptClose[a] = 0;
      this.aptPlace[a] = rng.int(0, PLACES.length - 1);
      this.aptFirstRoom[a] = rooms;
      this.aptRooms[a] = rng.chance(0.1) ? rng.int(50, 90) : rng.int(12, 36);
      rooms += this.aptRooms[a]!;
    }
    this.rooms = rooms;
    this.roomApartment = new Int32Array(rooms);
    this.roomType = new Uint8Array(rooms);
    this.roomRent = new Int32Array(rooms);
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
      }
    }
    this.contractsTotal = Math.max(10, Math.round(SCALE_1.contracts * scale));
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

  /** Replays every contract in id order (application order). The object yielded is reused. */
  *contracts(): Generator<Contract> {
    const rng = new Rng(this.seed, 202);
    const freeFrom = new Int32Array(this.rooms).fill(-1e9);
    // Applications per day follow the business's growth (the share of apartments open, as
    // planned: 40 % at the start of the history, 97 % at its end) and the season. The expected
    // share rather than the rooms actually open, so that a small dump (a few apartments) has
    // the same history over time as a large one.
    const demand = new Float64Array(this.dumpDay - this.startDay + 1);
    let weightSum = 0;
    for (let d = this.startDay; d <= this.dumpDay; d++) {
      const open = 0.4 + 0.57 * Math.min(1, (d - this.startDay) / (SCALE_1.historyDays - 30));
      weightSum += demand[d - this.startDay] = open * SEASON[this.calendar.month(d)]!;
    }
    const c = {} as Contract;
    this.doubleBooked = 0;
    let id = 0;
    let tenants = 0;
    let owed = 0;
    for (let d = this.startDay; d <= this.dumpDay && id < this.contractsTotal; d++) {
      owed += (this.contractsTotal * demand[d - this.startDay]!) / weightSum;
      if (d === this.dumpDay) owed = this.contractsTotal - id;
      while (owed >= 1 && id < this.contractsTotal) {
        owed -= 1;
        id++;
        this.fill(c, rng, id, d, freeFrom, () => {
          if (tenants > 50 && rng.chance(0.1)) return rng.int(Math.max(1, tenants - 3000), tenants);
          return ++tenants;
        });
        yield c;
      }
    }
  }

  /** Runs the contract history once to learn the tenants (count, first day, latest status). */
  plan(): this {
    const first = new Int32Array(this.contractsTotal + 1);
    const status = new Uint8Array(this.contractsTotal + 1);
    let max = 0;
    for (const c of this.contracts()) {
      if (c.tenantId > max) {
        max = c.tenantId;
        first[c.tenantId] = c.applicationDay;
      }
      status[c.tenantId] = c.tenantStatus;
    }
    this.tenants = max;
    this.tenantFirstDay = first;
    this.tenantStatus = status;
    return this;
  }

  /**
   * One contract's whole life, drawn up front (every draw is made whatever the dump date, so the
   * random stream does not depend on it), then cut at the dump date: only what has happened by
   * then is written. SHAPE (shape.ts) gives the calibrated rates.
   */
  private fill(c: Contract, rng: Rng, id: number, day: number, freeFrom: Int32Array, nextTenant: () => number): void {
    const dump = this.dumpDay;
    c.id = id;
    c.tenantId = nextTenant();
    const type = (isWeekend(day) ? CONTRACT_TYPE_WEEKEND : CONTRACT_TYPE).pick(rng);
    // A company applies, signs and moves its staff in and out on weekdays (shape.ts).
    const corporate = CORPORATE_CONTRACT_TYPES.has(type);
    c.contractType = rng.chance(DIRTY.contractTypeNull) || id === FORCED.nullContractType ? 0 : type;
    const shortTerm = SHORT_TERM_CONTRACT_TYPES.has(type);
    const fallsThrough = rng.chance(SHAPE.fallsThrough) || id === FORCED.cancelled;
    const signsFirst = rng.chance(SHAPE.signedThenCancelled);
    const rejected = rng.chance(SHAPE.rejected);
    c.applicationDay = day;
    c.applicationSecond = rng.int(9 * 3600, 21 * 3600);
    const contractDay = after(day + rng.int(1, 14), corporate);
    const moveinDay = after(contractDay + (shortTerm ? rng.int(1, 10) : rng.int(3, 30)), corporate);
    c.moveinDay = moveinDay;
    // A cancellation falls between application and signing, or between signing and move-in.
    const cancelDay = signsFirst
      ? contractDay + rng.int(0, Math.max(0, moveinDay - contractDay - 1))
      : day + rng.int(1, Math.max(1, contractDay - day));
    c.roomIndex = this.findRoom(rng, moveinDay, freeFrom);
    const termMonths = shortTerm ? rng.int(1, 3) : rng.pick([3, 6, 6, 6, 12]);
    c.plannedMoveoutDay = before(this.calendar.addMonths(moveinDay, termMonths) - 1, corporate);
    const r = rng.next();
    const extension = rng.int(1, 12);
    const early = before(moveinDay + 30 + Math.floor(rng.next() * Math.max(1, c.plannedMoveoutDay - moveinDay - 30)), corporate);
    const termEnd = r >= SHAPE.leaveEarly && r < SHAPE.leaveEarly + SHAPE.leaveAtTermEnd;
    const extended = after(this.calendar.addMonths(c.plannedMoveoutDay, extension), corporate);
    const leaveDay = r < SHAPE.leaveEarly ? early : termEnd ? c.plannedMoveoutDay : extended;
    // A fixed-term lease that runs out needs no notice: the vendor records none.
    const lead = rng.chance(0.85) ? rng.int(30, 45) : rng.int(7, 29);
    const noticeDay = termEnd ? -1 : Math.max(moveinDay, leaveDay - lead);
    const reason = (this.isForeign(c.tenantId) ? MOVEOUT_REASON_FOREIGN : MOVEOUT_REASON).pick(rng);
    const endOfTerm = rng.chance(SHAPE.termEndReasonEndOfTerm);
    const oddStatus = rng.chance(0.02);
    const odd = rng.pick([TENANT_STATUS.blacklisted, TENANT_STATUS.unreachable, TENANT_STATUS.other]);
    const rent = this.roomRent[c.roomIndex]!;
    const discount = rng.chance(0.08);
    const off = rng.int(1, 5) * 1000;
    c.rent = discount ? rent - off : rent;
    const withDeposit = rng.chance(0.7);
    c.deposit = CORPORATE_CONTRACT_TYPES.has(type) ? rent : withDeposit ? 30000 : 0;
    // The room is let again 3-20 days after the tenant leaves; an application that falls through
    // never takes it. Set whatever the dump date, so that the rooms' history does not depend on it.
    const relet = leaveDay + rng.int(3, 20);
    if (!fallsThrough) freeFrom[c.roomIndex] = relet;
    const updateLag = rng.int(0, 3);
    c.updatedSecond = rng.int(8 * 3600, 22 * 3600);
    c.cancelled = fallsThrough && cancelDay <= dump;
    c.contractDay = -1;
    c.noticeDay = -1;
    c.moveoutDay = -1;
    c.moveoutReason = 0;
    let lastEvent = day;
    if (c.cancelled) {
      // Never moved in; the room stays free.
      if (signsFirst) c.contractDay = contractDay;
      c.tenantStatus = signsFirst || !rejected ? TENANT_STATUS.cancelled : TENANT_STATUS.rejected;
      lastEvent = cancelDay;
    } else if (contractDay > dump || (fallsThrough && !signsFirst)) {
      // Still being screened on the dump date (a falling-through one is cancelled later).
      c.tenantStatus = TENANT_STATUS.screening;
    } else {
      c.contractDay = lastEvent = contractDay;
      if (moveinDay > dump || fallsThrough) c.tenantStatus = TENANT_STATUS.beforeMovein;
      else {
        lastEvent = moveinDay;
        c.tenantStatus = TENANT_STATUS.living;
        if (noticeDay >= 0 && noticeDay <= dump) {
          c.noticeDay = lastEvent = noticeDay;
          // The vendor writes the moveout date when notice is given: it may lie after the dump date.
          c.moveoutDay = leaveDay;
          c.tenantStatus = TENANT_STATUS.noticeGiven;
        }
        if (leaveDay <= dump) {
          c.moveoutDay = lastEvent = leaveDay;
          c.tenantStatus = oddStatus ? odd : TENANT_STATUS.movedOut;
        }
        if (c.moveoutDay >= 0) c.moveoutReason = termEnd && endOfTerm ? END_OF_TERM_REASON : reason;
      }
    }
    c.updatedDay = Math.min(dump, lastEvent + updateLag);
    if (c.updatedDay === c.applicationDay && c.updatedSecond < c.applicationSecond) c.updatedSecond = c.applicationSecond;
  }

  private findRoom(rng: Rng, day: number, freeFrom: Int32Array): number {
    const usable = (i: number) => {
      const a = this.roomApartment[i]!;
      return freeFrom[i]! <= day && this.aptOpen[a]! <= day && (this.aptClose[a] === 0 || this.aptClose[a]! > day);
    };
    let probe = 0;
    for (let k = 0; k < 24; k++) {
      probe = Math.floor(rng.next() * this.rooms);
      if (usable(probe)) return probe;
    }
    for (let k = 1; k < this.rooms; k++) {
      const i = (probe + k) % this.rooms;
      if (usable(i)) return i;
    }
    // Every room is taken that day: the vendor double-books (rare, and real).
    this.doubleBooked++;
    return probe;
  }
}

/** A company's day: moved to the next weekday (plain days stay). */
function after(day: number, corporate: boolean): number {
  return corporate ? businessDayOnOrAfter(day) : day;
}

/** A company's day: moved back to the weekday before (plain days stay). */
function before(day: number, corporate: boolean): number {
  return corporate ? businessDayOnOrBefore(day) : day;
}
