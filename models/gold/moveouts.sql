-- One row per live contract whose tenant moved out on or before as_of_date. A moveout_date after
-- as_of_date is a plan, not a move-out, and is left out.
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}

SELECT
  contract_id,
  tenant_id,
  movein_date,
  moveout_date,
  DATEDIFF(moveout_date, movein_date) AS tenure_days,
  moveout_reason,
  tenant_type,
  gender,
  CASE WHEN birth_date <= moveout_date THEN TIMESTAMPDIFF(YEAR, birth_date, moveout_date) END AS age_at_moveout,
  nationality,
  personal_identity_name AS personal_identity,
  affiliation_type_name AS affiliation_type,
  apartment_id,
  apartment_name,
  room_id,
  rent
FROM {{ ref('int_contracts') }}
WHERE is_cancelled = 0
  AND moveout_date <= {{ as_of }}
