/**
 * One contract's life (a movings row): drawn whole from the contract's own random stream, then
 * cut at the dump date. Split from world.ts, which replays the contracts in order.
 */
import { businessDayOnOrAfter, businessDayOnOrBefore, type Calendar, isWeekend } from './calendar.ts';
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
import type { Rng } from './prng.ts';
import { SHAPE } from './shape.ts';
import { DIRTY, FORCED } from './dirty.ts';
import { secondOfDay } from './time-base.ts';

/** What a contract's life needs of the world (World in world.ts has it all). */
export interface LifeWorld {
  readonly seed: number;
  readonly dumpDay: number;
  readonly calendar: Calendar;
  readonly rooms: number;
  readonly roomApartment: Int32Array;
  readonly aptOpen: Int32Array;
  readonly aptClose: Int32Array;
  /** Counts the contracts that found every room taken on their move-in day. */
  doubleBooked: number;
  isForeign(tenantId: number): boolean;
}

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
  /** Last change, as (day, second): the day of the last event that happened by the dump date. */
  updatedDay: number;
  updatedSecond: number;
  /** Status the tenant has because of this contract. */
  tenantStatus: number;
  /** The whole life, whatever the dump date: the application never falls through... */
  live: boolean;
  /** ...and then the tenant leaves on this day, and the room is let again from reletDay. */
  leaveDay: number;
  reletDay: number;
}

/**
 * One contract's whole life, drawn up front from its own stream (every draw is made whatever
 * the dump date), then cut at the dump date: only what has happened by then is written, and
 * the row last changed on the day of the last event that has. SHAPE (shape.ts) gives the
 * calibrated rates.
 */
export function fillContract(
  w: LifeWorld,
  c: Contract,
  rng: Rng,
  id: number,
  day: number,
  freeFrom: Int32Array,
  rentNow: Int32Array,
): void {
  const dump = w.dumpDay;
  c.id = id;
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
  c.roomIndex = findRoom(w, rng, moveinDay, freeFrom);
  const termMonths = shortTerm ? rng.int(1, 3) : rng.pick([3, 6, 6, 6, 12]);
  c.plannedMoveoutDay = before(w.calendar.addMonths(moveinDay, termMonths) - 1, corporate);
  const r = rng.next();
  const extension = rng.int(1, 12);
  const early = before(moveinDay + 30 + Math.floor(rng.next() * Math.max(1, c.plannedMoveoutDay - moveinDay - 30)), corporate);
  const termEnd = r >= SHAPE.leaveEarly && r < SHAPE.leaveEarly + SHAPE.leaveAtTermEnd;
  const extended = after(w.calendar.addMonths(c.plannedMoveoutDay, extension), corporate);
  const leaveDay = r < SHAPE.leaveEarly ? early : termEnd ? c.plannedMoveoutDay : extended;
  // A fixed-term lease that runs out needs no notice: the vendor records none.
  const lead = rng.chance(0.85) ? rng.int(30, 45) : rng.int(7, 29);
  const noticeDay = termEnd ? -1 : Math.max(moveinDay, leaveDay - lead);
  const reason = (w.isForeign(c.tenantId) ? MOVEOUT_REASON_FOREIGN : MOVEOUT_REASON).pick(rng);
  const endOfTerm = rng.chance(SHAPE.termEndReasonEndOfTerm);
  const oddStatus = rng.chance(0.02);
  const odd = rng.pick([TENANT_STATUS.blacklisted, TENANT_STATUS.unreachable, TENANT_STATUS.other]);
  const rent = rentNow[c.roomIndex]!;
  const discount = rng.chance(0.08);
  const off = rng.int(1, 5) * 1000;
  c.rent = discount ? rent - off : rent;
  const withDeposit = rng.chance(0.7);
  c.deposit = CORPORATE_CONTRACT_TYPES.has(type) ? rent : withDeposit ? 30000 : 0;
  // The room is let again 3-20 days after the tenant leaves; an application that falls through
  // never takes it. Set whatever the dump date, so that the rooms' history does not depend on it.
  const relet = leaveDay + rng.int(3, 20);
  if (!fallsThrough) freeFrom[c.roomIndex] = relet;
  c.live = !fallsThrough;
  c.leaveDay = leaveDay;
  c.reletDay = relet;
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
  // The vendor writes each event on its day: the row changes only then.
  c.updatedDay = lastEvent;
  c.updatedSecond = secondOfDay(w.seed, 7101, id, lastEvent);
  if (c.updatedDay === c.applicationDay && c.updatedSecond < c.applicationSecond) c.updatedSecond = c.applicationSecond;
}

function findRoom(w: LifeWorld, rng: Rng, day: number, freeFrom: Int32Array): number {
  const usable = (i: number) => {
    const a = w.roomApartment[i]!;
    return freeFrom[i]! <= day && w.aptOpen[a]! <= day && (w.aptClose[a] === 0 || w.aptClose[a]! > day);
  };
  let probe = 0;
  for (let k = 0; k < 24; k++) {
    probe = Math.floor(rng.next() * w.rooms);
    if (usable(probe)) return probe;
  }
  for (let k = 1; k < w.rooms; k++) {
    const i = (probe + k) % w.rooms;
    if (usable(i)) return i;
  }
  // Every room is taken that day: the vendor double-books (rare, and real).
  w.doubleBooked++;
  return probe;
}

/** A company's day: moved to the next weekday (plain days stay). */
function after(day: number, corporate: boolean): number {
  return corporate ? businessDayOnOrAfter(day) : day;
}

/** A company's day: moved back to the weekday before (plain days stay). */
function before(day: number, corporate: boolean): number {
  return corporate ? businessDayOnOrBefore(day) : day;
}
