-- One row per movings row (contract), cancelled ones included. Zero dates NULL, codes cast to
-- integers (a NULL contract_type stays NULL: int_contracts calls it tenant_type 'unknown').
-- is_cancelled: 0 only when cancel_flag = 0, the definition of a live contract.
{%- set date_columns = ['application_date', 'contract_date', 'movein_date', 'planned_moveout_date',
                        'moveout_notice_date', 'moveout_date', 'created_at', 'updated_at'] %}

SELECT
  id AS contract_id,
  tenant_id,
  apartment_id,
  room_id,
  CAST(contract_type AS SIGNED) AS contract_type,
  NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM(corporate_name)))), '') AS corporate_name,
{%- for c in date_columns %}
  CASE WHEN CAST({{ c }} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {{ c }} END AS {{ c }},
{%- endfor %}
  CAST(moveout_reason_id AS SIGNED) AS moveout_reason_id,
  rent,
  deposit,
  CASE WHEN cancel_flag = 0 THEN 0 ELSE 1 END AS is_cancelled
FROM {{ source('staging', 'movings') }}
