-- One row per live contract whose move-out notice was given in the 24 months up to and including
-- as_of_date: after as_of_date minus 24 months, on or before as_of_date (for 2026-02-05 that is
-- 2024-02-06 .. 2026-02-05). Notices dated after as_of_date are typos or plans and are left out.
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}

SELECT
  contract_id,
  tenant_id,
  moveout_notice_date,
  planned_moveout_date,
  DATEDIFF(planned_moveout_date, moveout_notice_date) AS notice_days,
  moveout_date,
  moveout_reason,
  tenant_type,
  apartment_id,
  apartment_name,
  room_id
FROM {{ ref('int_contracts') }}
WHERE is_cancelled = 0
  AND moveout_notice_date > DATE_SUB({{ as_of }}, INTERVAL 24 MONTH)
  AND moveout_notice_date <= {{ as_of }}
