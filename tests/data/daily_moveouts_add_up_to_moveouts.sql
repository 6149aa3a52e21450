-- The move-outs counted in daily_activity_summary are exactly the rows of moveouts.
SELECT d.total AS daily_total, m.total AS moveouts_rows
FROM (SELECT COALESCE(SUM(moveouts), 0) AS total FROM {{ ref('daily_activity_summary') }}) AS d
CROSS JOIN (SELECT COUNT(*) AS total FROM {{ ref('moveouts') }}) AS m
WHERE d.total <> m.total
