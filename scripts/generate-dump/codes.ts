/**
 * The code values the vendor's tables hold, and how often each occurs. The seeds
 * (`seeds/code_*.csv`) must list exactly these codes; README.md documents them in a table.
 */
import { weighted } from './prng.ts';

/** tenants.gender_type: 1 male, 2 female, 3 other/unanswered (code_gender has 3 rows). */
export const GENDER = weighted<number>([
  [1, 45],
  [2, 53],
  [3, 2],
]);

/**
 * tenants.status (code_tenant_status, 18 codes). The generator derives it from the tenant's
 * latest contract: 5 screening, 6 rejected, 9 before move-in, 10 living, 12 notice given, 14 moved out,
 * 15 cancelled; 16-18 are sprinkled on moved-out tenants.
 */
export const TENANT_STATUS = {
  screening: 5,
  rejected: 6,
  beforeMovein: 9,
  living: 10,
  noticeGiven: 12,
  movedOut: 14,
  cancelled: 15,
  blacklisted: 16,
  unreachable: 17,
  other: 18,
} as const;

/** movings.contract_type (code_contract_type, 10 codes): the mix of a business day. */
const CONTRACT_TYPE_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [1, 45],
  [2, 10],
  [3, 10],
  [4, 12],
  [5, 8],
  [6, 4],
  [7, 3],
  [8, 4],
  [9, 2],
  [10, 2],
];
export const CONTRACT_TYPE = weighted<number>(CONTRACT_TYPE_WEIGHTS);
export const CORPORATE_CONTRACT_TYPES: ReadonlySet<number> = new Set([5, 6, 7, 9]);
/** A weekend's mix: companies do not apply on weekends (shape.ts), individuals do. */
export const CONTRACT_TYPE_WEEKEND = weighted<number>(CONTRACT_TYPE_WEIGHTS.filter(([code]) => !CORPORATE_CONTRACT_TYPES.has(code)));
/** Short-term types (1-3 month terms): 2 individual short-term, 7 corporate short-term, 8 monthly. */
export const SHORT_TERM_CONTRACT_TYPES: ReadonlySet<number> = new Set([2, 7, 8]);

/** tenants.personal_identity (code_personal_identity, 8 codes). */
export const PERSONAL_IDENTITY = weighted<number>([
  [1, 42],
  [2, 25],
  [3, 5],
  [4, 8],
  [5, 8],
  [6, 2],
  [7, 3],
  [8, 7],
]);

/** tenants.affiliation_type (code_affiliation_type, 18 codes). */
export const AFFILIATION_TYPE = weighted<number>([
  [1, 22],
  [2, 12],
  [3, 10],
  [4, 4],
  [5, 6],
  [6, 9],
  [7, 1],
  [8, 2],
  [9, 1],
  [10, 3],
  [11, 2],
  [12, 1],
  [13, 5],
  [14, 5],
  [15, 4],
  [16, 8],
  [17, 3],
  [18, 2],
]);

/** movings.moveout_reason_id (code_moveout_reason, 8 codes). */
export const MOVEOUT_REASON = weighted<number>([
  [1, 30],
  [2, 18],
  [3, 10],
  [4, 8],
  [5, 7],
  [6, 5],
  [7, 15],
  [8, 7],
]);
/** 契約満了 (end of term): the reason of many fixed-term leases that simply run out. */
export const END_OF_TERM_REASON = 7;
/** Foreign tenants go home more often (reason 2). */
export const MOVEOUT_REASON_FOREIGN = weighted<number>([
  [1, 22],
  [2, 40],
  [3, 6],
  [4, 8],
  [5, 4],
  [6, 4],
  [7, 10],
  [8, 6],
]);

/** apartments.status: 1 open, 2 preparing (opens after the dump date), 9 closed. */
export const APARTMENT_STATUS = { open: 1, preparing: 2, closed: 9 } as const;
/** rooms.status: 1 available, 2 occupied, 3 under repair, 9 closed. */
export const ROOM_STATUS = { available: 1, occupied: 2, repair: 3, closed: 9 } as const;
/** inquiries.inquiry_type: 1 individual, 2 corporate. */
export const INQUIRY_TYPE = weighted<number>([
  [1, 88],
  [2, 12],
]);
export const INQUIRY_CHANNEL = weighted<string>([
  ['web', 52],
  ['phone', 14],
  ['email', 10],
  ['line', 9],
  ['walk_in', 3],
  ['agent', 8],
  ['sns', 4],
]);
