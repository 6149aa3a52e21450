-- One row per room and day on which its rent or common fee changed (DOMAIN.md "History"): each
-- version of snap_rooms compared with the one before it; a room's first version is not a change.
{{ config(materialized='table') }}

WITH versions AS (
  SELECT
    s.id AS room_id,
    s.apartment_id,
    s.room_number,
    s.rent,
    s.common_fee,
    s.dbt_valid_from,
    LAG(s.rent) OVER (PARTITION BY s.id ORDER BY s.dbt_valid_from) AS old_rent,
    LAG(s.common_fee) OVER (PARTITION BY s.id ORDER BY s.dbt_valid_from) AS old_common_fee,
    ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY s.dbt_valid_from) AS version
  FROM {{ ref('snap_rooms') }} s
)
SELECT
  v.room_id,
  v.apartment_id,
  a.apartment_name,
  v.room_number,
  CAST(v.dbt_valid_from AS DATE) AS changed_on,
  v.old_rent,
  v.rent AS new_rent,
  v.old_common_fee,
  v.common_fee AS new_common_fee,
  COALESCE(v.rent, 0) - COALESCE(v.old_rent, 0) AS rent_difference
FROM versions v
LEFT JOIN {{ ref('stg_apartments') }} a ON a.apartment_id = v.apartment_id
WHERE v.version > 1
  AND (NOT (v.rent <=> v.old_rent) OR NOT (v.common_fee <=> v.old_common_fee))
