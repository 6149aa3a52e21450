-- One row per room. Room numbers and types trimmed, codes cast to integers, zero dates NULL
-- (see stg_apartments for why both are written the way they are).
{%- set date_columns = ['created_at', 'updated_at'] %}

SELECT
  id AS room_id,
  apartment_id,
  NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM(room_number)))), '') AS room_number,
  CAST(floor AS SIGNED) AS floor,
  LOWER(NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM(room_type)))), '')) AS room_type,
  area_sqm,
  rent,
  common_fee,
  CAST(status AS SIGNED) AS status,
{%- for c in date_columns %}
  CASE WHEN CAST({{ c }} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {{ c }} END AS {{ c }}{{ ',' if not loop.last }}
{%- endfor %}
FROM {{ source('staging', 'rooms') }}
