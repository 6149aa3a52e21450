/**
 * The shape of the vendor's business, calibrated so that a scale-1 dump of 2026-02-05 run through
 * `daily` gives the figures of the old system's report (reference/glue-etl-report-2026-02-05.md):
 * int_contracts 59,118, new_contracts 16,508, moveouts 15,262, moveout_notices 3,635,
 * daily_activity_summary 5,624. README.md ("Calibration") says which rate answers which figure;
 * `npm run calibrate` measures them. These are rates of the world, not business rules: the
 * definitions of DOMAIN.md stay as they are, only the data they are applied to is shaped.
 *
 * Every rate is a per-contract draw that does not depend on the dump date (only what has been
 * revealed by the dump date does), so the proportions hold at every scale and a later day's dump
 * tells the same story with that day's events added.
 *
 * Two shapes are rules rather than rates. Companies (corporate contract types, inquiry_type 2)
 * apply, sign, move in and out and ask on weekdays only (world.ts, core-tables.ts): that sets
 * daily_activity_summary, 5,624 rows = individuals on each of the 2,923 days, companies on the
 * ~2,090 weekdays, contracts of NULL type ('unknown') on ~510 days; with companies active every
 * day it was 6,360. And applications follow a smooth growth (world.ts), so that the last months
 * (running contracts, notices of the last 24 months) hold the same share at every scale.
 */
export const SHAPE = {
  /**
   * Share of applications (movings rows) that never become a live contract: withdrawn or
   * rejected during screening, or, rarely, cancelled after signing. new_contracts / int_contracts
   * in the report is 16,508 / 59,118 = 27.9 % live, so 72 % fall through (a few of the last
   * days' applications are still being screened on the dump date).
   */
  fallsThrough: 0.72,
  /** Of those, the share cancelled after signing (contract date written, never moved in). */
  signedThenCancelled: 0.1,
  /** Of those that do not sign, the share the vendor rejects at screening (status 6) instead of the applicant withdrawing (15). */
  rejected: 0.25,
  /**
   * How a live stay ends: before the planned date (with notice), on the planned date (a fixed-term
   * lease that simply runs out: no notice is recorded), or after one to twelve months' extension
   * (with notice). The term-end share is the share of contracts without a notice: it sets
   * moveout_notices (3,635 / 16,508 = 22 % of contracts have a notice in the last 24 months).
   */
  leaveEarly: 0.55,
  leaveAtTermEnd: 0.3,
  /** Of term-end leavers, the share whose reason the vendor records as 7 (契約満了, end of term). */
  termEndReasonEndOfTerm: 0.5,
} as const;
