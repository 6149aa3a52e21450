-- Applications counted in daily_activity_summary equal the int_contracts rows (cancelled ones
-- included) applied for on or before as_of_date.
SELECT d.total AS daily_total, c.total AS applications
FROM (SELECT COALESCE(SUM(applications), 0) AS total FROM {{ ref('daily_activity_summary') }}) AS d
CROSS JOIN (
  SELECT COUNT(*) AS total FROM {{ ref('int_contracts') }}
  WHERE application_date <= CAST('{{ var("as_of_date") }}' AS DATE)
) AS c
WHERE d.total <> c.total
