-- The central contract fact: one row per movings row, except contracts of soft-deleted tenants
-- (the tenant asked to be forgotten, or the record was a mistake: both leave the warehouse).
-- A contract whose tenant_id matches no tenant at all is kept with NULL demographics
-- (has_tenant = 0); the warn-severity relationships test on tenant_id counts them.
{{ config(materialized='table') }}

SELECT
  m.contract_id,
  m.tenant_id,
  CASE WHEN t.tenant_id IS NULL THEN 0 ELSE 1 END AS has_tenant,
  m.apartment_id,
  a.apartment_name,
  a.apartment_name_en,
  a.prefecture,
  m.room_id,
  r.room_number,
  r.room_type,
  m.contract_type,
  ct.name_en AS contract_type_name,
  COALESCE(ct.tenant_type, 'unknown') AS tenant_type,
  m.corporate_name,
  m.application_date,
  m.contract_date,
  m.movein_date,
  m.planned_moveout_date,
  m.moveout_notice_date,
  m.moveout_date,
  m.moveout_reason_id,
  mr.name_en AS moveout_reason,
  m.rent,
  m.deposit,
  m.is_cancelled,
  t.gender_type,
  g.name_en AS gender,
  t.birth_date,
  t.nationality,
  t.personal_identity,
  idn.name_en AS personal_identity_name,
  t.affiliation_type,
  aff.name_en AS affiliation_type_name
FROM {{ ref('stg_movings') }} AS m
LEFT JOIN {{ ref('stg_tenants') }} AS t ON t.tenant_id = m.tenant_id
LEFT JOIN {{ ref('stg_rooms') }} AS r ON r.room_id = m.room_id
LEFT JOIN {{ ref('stg_apartments') }} AS a ON a.apartment_id = m.apartment_id
LEFT JOIN {{ ref('code_contract_type') }} AS ct ON ct.code = m.contract_type
LEFT JOIN {{ ref('code_moveout_reason') }} AS mr ON mr.code = m.moveout_reason_id
LEFT JOIN {{ ref('code_gender') }} AS g ON g.code = t.gender_type
LEFT JOIN {{ ref('code_personal_identity') }} AS idn ON idn.code = t.personal_identity
LEFT JOIN {{ ref('code_affiliation_type') }} AS aff ON aff.code = t.affiliation_type
WHERE NOT EXISTS (
  SELECT 1
  FROM {{ source('staging', 'tenants') }} AS deleted
  WHERE deleted.id = m.tenant_id AND COALESCE(deleted.is_deleted, 0) <> 0
)
