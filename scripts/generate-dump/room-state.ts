/**
 * The rooms on the dump date: rent and common fee after the rent changes up to it, and a status
 * that follows the contracts: occupied from a move-in, available from the move-out (under repair
 * until the room is let again, after one move-out in seven), closed with the apartment. Each row
 * changes (updated_at) only on the day of such an event.
 */
import { ROOM_STATUS } from './codes.ts';
import type { Contract } from './contract-life.ts';
import type { RentChanges } from './daily-events.ts';
import { hash32 } from './prng.ts';

/** What the rooms' state needs of the world (World in world.ts has it all). */
export interface RoomWorld {
  readonly seed: number;
  readonly dumpDay: number;
  readonly rooms: number;
  readonly roomApartment: Int32Array;
  readonly roomRent: Int32Array;
  readonly roomFee: Int32Array;
  readonly aptCreated: Int32Array;
  readonly aptClose: Int32Array;
  readonly rentChanges: RentChanges;
  roomsAt(day: number): number;
}

/** Share of move-outs after which the room is repaired until it is let again. */
const REPAIRED = 0.15;

export interface RoomState {
  /** Rooms whose row exists on the dump date (ids 1..count). */
  count: number;
  rent: Int32Array;
  fee: Int32Array;
  status: Uint8Array;
  /** The day the row last changed. */
  updated: Int32Array;
}

/** Collects the room events of the contracts replayed by World.plan, then resolves them. */
export function roomState(w: RoomWorld): { add(c: Contract): void; finish(): RoomState } {
  const dump = w.dumpDay;
  // The latest event of each room as day * 4 + priority: a move-in wins over a move-out or the
  // end of a repair on the same day.
  const latest = new Int32Array(w.rooms).fill(-1);
  const latestStatus = new Uint8Array(w.rooms);
  const event = (room: number, day: number, priority: number, status: number) => {
    const key = day * 4 + priority;
    if (key > latest[room]!) {
      latest[room] = key;
      latestStatus[room] = status;
    }
  };
  return {
    add(c) {
      if (!c.live || c.moveinDay > dump) return;
      event(c.roomIndex, c.moveinDay, 3, ROOM_STATUS.occupied);
      if (c.leaveDay > dump) return;
      const repaired = hash32(w.seed, 7201, c.id) / 4294967296 < REPAIRED;
      event(c.roomIndex, c.leaveDay, 1, repaired ? ROOM_STATUS.repair : ROOM_STATUS.available);
      if (repaired && c.reletDay <= dump) event(c.roomIndex, c.reletDay, 2, ROOM_STATUS.available);
    },
    finish() {
      const count = w.roomsAt(dump);
      const rent = w.roomRent.slice(0, count);
      const fee = w.roomFee.slice(0, count);
      const status = new Uint8Array(count);
      const updated = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const a = w.roomApartment[i]!;
        updated[i] = w.aptCreated[a]!;
        status[i] = ROOM_STATUS.available;
        if (latest[i]! >= 0) {
          status[i] = latestStatus[i]!;
          updated[i] = Math.max(updated[i]!, Math.floor(latest[i]! / 4));
        }
        const close = w.aptClose[a]!;
        if (close !== 0 && close <= dump) {
          status[i] = ROOM_STATUS.closed;
          updated[i] = Math.max(updated[i]!, close);
        }
      }
      const changes = w.rentChanges;
      for (let k = 0; k < changes.length && changes.day[k]! <= dump; k++) {
        const i = changes.room[k]!;
        rent[i] = changes.rent[k]!;
        fee[i] = changes.fee[k]!;
        updated[i] = Math.max(updated[i]!, changes.day[k]!);
      }
      return { count, rent, fee, status, updated };
    },
  };
}
