-- Inquiries counted in daily_activity_summary equal stg_inquiries rows up to as_of_date.
SELECT d.total AS daily_total, i.total AS inquiries
FROM (SELECT COALESCE(SUM(inquiries), 0) AS total FROM {{ ref('daily_activity_summary') }}) AS d
CROSS JOIN (
  SELECT COUNT(*) AS total FROM {{ ref('stg_inquiries') }}
  WHERE inquiry_date <= CAST('{{ var("as_of_date") }}' AS DATE)
) AS i
WHERE d.total <> i.total
