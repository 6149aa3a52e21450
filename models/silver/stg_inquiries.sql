-- One row per inquiry. inquiry_date is the calendar day of inquiry_at as the vendor wrote it
-- (Japan time; nothing is converted). tenant_type follows inquiry_type: 1 individual,
-- 2 corporate, anything else 'unknown'. Zero datetimes become NULL (see stg_apartments).
{%- set inquiry_at = "CASE WHEN CAST(inquiry_at AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE inquiry_at END" %}

SELECT
  id AS inquiry_id,
  {{ inquiry_at }} AS inquiry_at,
  CAST({{ inquiry_at }} AS DATE) AS inquiry_date,
  CAST(inquiry_type AS SIGNED) AS inquiry_type,
  CASE CAST(inquiry_type AS SIGNED) WHEN 1 THEN 'individual' WHEN 2 THEN 'corporate' ELSE 'unknown' END AS tenant_type,
  NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM(channel)))), '') AS channel,
  apartment_id,
  tenant_id,
  NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM(nationality)))), '') AS nationality,
  CASE WHEN CAST(created_at AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE created_at END AS created_at
FROM {{ source('staging', 'inquiries') }}
