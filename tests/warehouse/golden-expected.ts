/**
 * The gold tables the golden fixture (tests/fixtures/golden/gghouse_20260205.sql) must produce,
 * written by hand from the fixture's rows and DOMAIN.md's definitions (as_of_date 2026-02-05).
 * The comments in the fixture say which rule each contract covers.
 */

export const AS_OF_DATE = '2026-02-05';

export const DAILY_ACTIVITY_COLUMNS = ['activity_date', 'tenant_type', 'inquiries', 'applications', 'contracts', 'moveins', 'moveouts'];
// prettier-ignore
export const DAILY_ACTIVITY: unknown[][] = [
  ['2019-03-01', 'corporate', 0, 1, 0, 0, 0],
  ['2019-03-10', 'corporate', 0, 0, 1, 0, 0],
  ['2019-04-01', 'corporate', 0, 0, 0, 1, 0],
  ['2020-03-31', 'corporate', 0, 0, 0, 0, 1],
  ['2021-09-01', 'individual', 0, 1, 0, 0, 0],
  ['2021-09-10', 'individual', 0, 0, 1, 0, 0],
  ['2021-10-01', 'individual', 0, 0, 0, 1, 0],
  ['2022-01-10', 'unknown', 0, 1, 0, 0, 0],
  ['2022-01-15', 'unknown', 0, 0, 1, 0, 0],
  ['2022-02-01', 'unknown', 0, 0, 0, 1, 0],
  ['2022-05-01', 'individual', 0, 1, 0, 0, 0],
  ['2022-05-10', 'individual', 0, 0, 1, 0, 0],
  ['2022-06-01', 'individual', 0, 0, 0, 1, 0],
  ['2023-03-01', 'individual', 0, 1, 0, 0, 0],
  ['2023-03-10', 'individual', 0, 0, 1, 0, 0],
  ['2023-04-01', 'individual', 0, 0, 0, 1, 0],
  ['2023-05-31', 'individual', 0, 0, 0, 0, 1], // contract 9: its tenant is missing, the move-out still counts
  ['2023-09-01', 'individual', 0, 0, 1, 0, 0], // contract 13: zero application date, not counted
  ['2023-10-01', 'individual', 0, 0, 0, 1, 0],
  ['2024-01-10', 'individual', 0, 1, 0, 0, 0],
  ['2024-01-20', 'individual', 0, 0, 1, 0, 0],
  ['2024-02-01', 'individual', 0, 0, 0, 1, 0],
  ['2024-03-01', 'individual', 0, 1, 0, 0, 0],
  ['2024-03-10', 'individual', 0, 0, 1, 0, 0],
  ['2024-03-31', 'individual', 0, 0, 0, 0, 1],
  ['2024-04-01', 'individual', 0, 0, 0, 1, 0],
  ['2024-04-30', 'unknown', 0, 0, 0, 0, 1],
  ['2024-05-01', 'corporate', 1, 1, 0, 0, 0],
  ['2024-05-10', 'corporate', 0, 0, 1, 0, 0],
  ['2024-06-01', 'corporate', 0, 0, 0, 1, 0],
  ['2024-08-01', 'individual', 0, 1, 0, 0, 0],
  ['2024-08-05', 'individual', 0, 0, 1, 0, 0],
  ['2024-09-01', 'individual', 0, 0, 0, 1, 0],
  ['2024-12-01', 'individual', 0, 1, 0, 0, 0], // contract 19: cancelled, only its application counts
  ['2025-01-31', 'individual', 0, 0, 0, 0, 1],
  ['2025-02-01', 'individual', 0, 1, 0, 0, 0],
  ['2025-02-10', 'individual', 0, 0, 1, 0, 0],
  ['2025-03-01', 'individual', 0, 1, 0, 1, 0],
  ['2025-03-05', 'individual', 0, 0, 1, 0, 0],
  ['2025-03-31', 'individual', 0, 0, 0, 0, 1],
  ['2025-04-01', 'individual', 0, 0, 0, 1, 0],
  ['2025-06-01', 'individual', 1, 1, 0, 0, 0], // contract 4: cancelled application
  ['2025-06-01', 'unknown', 1, 0, 0, 0, 0], // inquiry 5: inquiry_type 3
  ['2025-07-01', 'individual', 0, 1, 0, 0, 0], // contract 5: cancelled after signing
  ['2025-08-10', 'unknown', 0, 1, 0, 0, 0],
  ['2025-08-15', 'unknown', 0, 0, 1, 0, 0],
  ['2025-09-01', 'unknown', 0, 0, 0, 1, 0],
  ['2025-10-15', 'individual', 0, 1, 0, 0, 0],
  ['2025-10-20', 'individual', 0, 0, 1, 0, 0],
  ['2025-11-01', 'individual', 0, 0, 0, 1, 0],
  ['2026-01-20', 'individual', 1, 1, 0, 0, 0],
  ['2026-02-01', 'individual', 0, 0, 1, 0, 0], // contract 11: signed; its move-in 2026-07-01 is not counted
  ['2026-02-04', 'corporate', 1, 0, 0, 0, 0],
  ['2026-02-04', 'individual', 0, 1, 0, 0, 0], // contract 12: signing 2026-02-10 is after the dump
  ['2026-02-05', 'individual', 1, 0, 0, 0, 1], // inquiry 2 (2026-02-06 00:10) is not counted
];

export const NEW_CONTRACTS_COLUMNS = [
  'contract_id', 'tenant_id', 'contract_date', 'application_date', 'movein_date', 'tenant_type', 'contract_type', 'gender',
  'age_at_contract', 'nationality', 'personal_identity', 'affiliation_type', 'apartment_id', 'apartment_name', 'room_id',
  'room_number', 'rent',
];
const SHIBUYA = 'GGハウス渋谷';
const KOENJI = 'GGハウス高円寺';
const YOKOHAMA = 'GGハウス横浜';
// prettier-ignore
export const NEW_CONTRACTS: unknown[][] = [
  [1, 1, '2023-03-10', '2023-03-01', '2023-04-01', 'individual', 'Standard lease', 'Male', 27, 'Japan', 'Company employee', 'Japanese company', 1, SHIBUYA, 101, '101', 68000],
  [2, 1, '2025-03-05', '2025-03-01', '2025-04-01', 'individual', 'Standard lease', 'Male', 29, 'Japan', 'Company employee', 'Japanese company', 2, KOENJI, 201, '201', 55000],
  [3, 2, '2024-01-20', '2024-01-10', '2024-02-01', 'individual', 'Student lease', 'Female', 25, 'Germany', 'Student', 'Japanese language school', 1, SHIBUYA, 102, '102', 62000],
  [6, 4, '2025-08-15', '2025-08-10', '2025-09-01', 'unknown', null, null, 25, 'United States', 'Working holiday', 'No affiliation', 3, YOKOHAMA, 301, '301', 72000],
  [7, 10, '2024-05-10', '2024-05-01', '2024-06-01', 'corporate', 'Corporate lease', 'Other', null, 'Japan', 'Company employee', 'Japanese company', 1, SHIBUYA, 103, 'D-1', 45000],
  [8, 10, '2019-03-10', '2019-03-01', '2019-04-01', 'corporate', 'Corporate dormitory lease', 'Other', null, 'Japan', 'Company employee', 'Japanese company', 1, SHIBUYA, 103, 'D-1', 43000],
  [9, 99, '2022-05-10', '2022-05-01', '2022-06-01', 'individual', 'Standard lease', null, null, null, null, null, 2, KOENJI, 202, '202', 52000],
  [11, 5, '2026-02-01', '2026-01-20', '2026-07-01', 'individual', 'Standard lease', 'Female', 35, 'Japan', 'Company employee', 'Foreign-owned company', 1, SHIBUYA, 101, '101', 75000],
  [13, 6, '2023-09-01', null, '2023-10-01', 'individual', 'Student lease', 'Male', 24, 'Vietnam', 'Student', 'Japanese language school', 2, KOENJI, 202, '202', 54000],
  [14, 8, '2025-02-10', '2025-02-01', '2025-03-01', 'individual', 'Standard lease', 'Male', 31, 'South Korea', 'Company employee', 'Foreign-owned company', 1, SHIBUYA, 102, '102', 64000],
  [15, 9, '2021-09-10', '2021-09-01', '2021-10-01', 'individual', 'Fixed-term lease', 'Female', 33, 'Spain', 'Self-employed', 'Sole proprietorship', 3, YOKOHAMA, 301, '301', 70000],
  [16, 3, '2022-01-15', '2022-01-10', '2022-02-01', 'unknown', null, null, null, 'China', 'Company employee', 'IT company', 2, KOENJI, 201, '201', 53000],
  [17, 5, '2024-08-05', '2024-08-01', '2024-09-01', 'individual', 'Standard lease', 'Female', 34, 'Japan', 'Company employee', 'Foreign-owned company', 1, SHIBUYA, 103, 'D-1', 67000],
  [18, 9, '2024-03-10', '2024-03-01', '2024-04-01', 'individual', 'Standard lease', 'Female', 35, 'Spain', 'Self-employed', 'Sole proprietorship', 1, SHIBUYA, 103, 'D-1', 44000],
  [20, 2, '2025-10-20', '2025-10-15', '2025-11-01', 'individual', 'Monthly lease', 'Female', 26, 'Germany', 'Student', 'Japanese language school', 1, SHIBUYA, 103, 'D-1', 80000],
];

export const MOVEOUTS_COLUMNS = [
  'contract_id', 'tenant_id', 'movein_date', 'moveout_date', 'tenure_days', 'moveout_reason', 'tenant_type', 'gender',
  'age_at_moveout', 'nationality', 'personal_identity', 'affiliation_type', 'apartment_id', 'apartment_name', 'room_id', 'rent',
];
// prettier-ignore
export const MOVEOUTS: unknown[][] = [
  [1, 1, '2023-04-01', '2025-03-31', 730, 'Job transfer or change', 'individual', 'Male', 29, 'Japan', 'Company employee', 'Japanese company', 1, SHIBUYA, 101, 68000],
  [3, 2, '2024-02-01', '2025-01-31', 365, 'Graduation', 'individual', 'Female', 26, 'Germany', 'Student', 'Japanese language school', 1, SHIBUYA, 102, 62000],
  [8, 10, '2019-04-01', '2020-03-31', 365, 'Job transfer or change', 'corporate', 'Other', null, 'Japan', 'Company employee', 'Japanese company', 1, SHIBUYA, 103, 43000],
  [9, 99, '2022-06-01', '2023-05-31', 364, 'Returning to home country', 'individual', null, null, null, null, null, 2, KOENJI, 202, 52000],
  [15, 9, '2021-10-01', '2024-03-31', 912, 'End of contract term', 'individual', 'Female', 35, 'Spain', 'Self-employed', 'Sole proprietorship', 3, YOKOHAMA, 301, 70000],
  [16, 3, '2022-02-01', '2024-04-30', 819, 'Rent or cost', 'unknown', null, null, 'China', 'Company employee', 'IT company', 2, KOENJI, 201, 53000],
  [20, 2, '2025-11-01', '2026-02-05', 96, 'Returning to home country', 'individual', 'Female', 27, 'Germany', 'Student', 'Japanese language school', 1, SHIBUYA, 103, 80000],
];

export const MOVEOUT_NOTICES_COLUMNS = [
  'contract_id', 'tenant_id', 'moveout_notice_date', 'planned_moveout_date', 'notice_days', 'moveout_date', 'moveout_reason',
  'tenant_type', 'apartment_id', 'apartment_name', 'room_id',
];
// prettier-ignore
export const MOVEOUT_NOTICES: unknown[][] = [
  [1, 1, '2025-01-15', '2025-03-31', 75, '2025-03-31', 'Job transfer or change', 'individual', 1, SHIBUYA, 101],
  [3, 2, '2024-11-30', '2025-01-31', 62, '2025-01-31', 'Graduation', 'individual', 1, SHIBUYA, 102],
  [7, 10, '2026-01-20', '2026-05-31', 131, null, 'End of contract term', 'corporate', 1, SHIBUYA, 103],
  [14, 8, '2026-01-10', '2026-02-28', 49, '2026-02-28', 'Moving to another property', 'individual', 1, SHIBUYA, 102],
  [16, 3, '2024-02-06', '2024-04-30', 84, '2024-04-30', 'Rent or cost', 'unknown', 2, KOENJI, 201],
  [18, 9, '2026-02-05', '2026-03-31', 54, null, 'Other', 'individual', 1, SHIBUYA, 103],
  [20, 2, '2025-12-20', '2026-02-05', 47, '2026-02-05', 'Returning to home country', 'individual', 1, SHIBUYA, 103],
];

/** Cleaned silver rows worth pinning: one per dirty-data case. */
export const STG_TENANTS_COLUMNS = ['tenant_id', 'tenant_name', 'gender_type', 'birth_date', 'nationality'];
// prettier-ignore
export const STG_TENANTS: unknown[][] = [
  [1, '山田　太郎', 1, '1995-04-10', 'Japan'], // leading ASCII and trailing full-width space; the inner one stays
  [2, 'Anna Schmidt', 2, '1998-12-31', 'Germany'],
  [3, '李 明', null, null, 'China'], // gender_type 0, birth date 0000-00-00
  [4, 'John Smith', null, '2000-02-29', 'United States'],
  [5, '佐藤　花子', 2, '1990-02-05', 'Japan'],
  [6, 'Nguyen Van An', 1, '1999-07-01', 'Vietnam'],
  // 7 is soft-deleted
  [8, 'Kim Min-jun', 1, '1993-03-03', 'South Korea'], // is_deleted NULL counts as not deleted
  [9, 'Maria Garcia', 2, '1988-08-08', 'Spain'],
  [10, '株式会社テック 総務部', 3, null, 'Japan'],
];

/** Warnings the fixture must raise (vendor data problems it reproduces on purpose), by test kind and column. */
export const EXPECTED_WARNINGS = [
  'relationships stg_movings.contract_type', // contract 16 has code 42
  'relationships int_contracts.tenant_id', // contract 9 has tenant 99
  'accepted_values stg_inquiries.inquiry_type', // inquiry 5 has type 3
];
