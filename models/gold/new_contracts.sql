-- One row per live contract (cancel_flag = 0) signed on or before as_of_date, with the tenant's
-- demographics at signing.
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}

SELECT
  contract_id,
  tenant_id,
  contract_date,
  application_date,
  movein_date,
  tenant_type,
  contract_type_name AS contract_type,
  gender,
  -- Whole years; NULL when the birth date is unknown or after the contract date (a typo).
  CASE WHEN birth_date <= contract_date THEN TIMESTAMPDIFF(YEAR, birth_date, contract_date) END AS age_at_contract,
  nationality,
  personal_identity_name AS personal_identity,
  affiliation_type_name AS affiliation_type,
  apartment_id,
  apartment_name,
  room_id,
  room_number,
  rent
FROM {{ ref('int_contracts') }}
WHERE is_cancelled = 0
  AND contract_date <= {{ as_of }}
