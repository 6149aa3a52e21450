-- One row per tenant and day on which its status changed (DOMAIN.md "History"), from snap_tenants,
-- with the status names and the tenant type of the tenant's latest contract.
{{ config(materialized='table') }}

WITH versions AS (
  SELECT
    s.id AS tenant_id,
    s.status,
    s.dbt_valid_from,
    LAG(s.status) OVER (PARTITION BY s.id ORDER BY s.dbt_valid_from) AS old_status,
    ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY s.dbt_valid_from) AS version
  FROM {{ ref('snap_tenants') }} s
),
latest_contract AS (
  SELECT tenant_id, tenant_type,
         ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY contract_date DESC, contract_id DESC) AS n
  FROM {{ ref('int_contracts') }}
)
SELECT
  v.tenant_id,
  CAST(v.dbt_valid_from AS DATE) AS changed_on,
  v.old_status,
  os.name_en AS old_status_name,
  v.status AS new_status,
  ns.name_en AS new_status_name,
  COALESCE(c.tenant_type, 'unknown') AS tenant_type
FROM versions v
LEFT JOIN {{ ref('code_tenant_status') }} os ON os.code = v.old_status
LEFT JOIN {{ ref('code_tenant_status') }} ns ON ns.code = v.status
LEFT JOIN latest_contract c ON c.tenant_id = v.tenant_id AND c.n = 1
WHERE v.version > 1 AND NOT (v.status <=> v.old_status)
