-- Move-ins counted in daily_activity_summary equal the live contracts of int_contracts that
-- moved in on or before as_of_date.
SELECT d.total AS daily_total, c.total AS live_moveins
FROM (SELECT COALESCE(SUM(moveins), 0) AS total FROM {{ ref('daily_activity_summary') }}) AS d
CROSS JOIN (
  SELECT COUNT(*) AS total FROM {{ ref('int_contracts') }}
  WHERE is_cancelled = 0 AND movein_date <= CAST('{{ var("as_of_date") }}' AS DATE)
) AS c
WHERE d.total <> c.total
