/**
 * The vendor's dirty data: the rates at which the generator writes it, and the low ids that always
 * carry each rule (README.md "Dirty data" lists them; people.ts has the tenants' own).
 */

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
