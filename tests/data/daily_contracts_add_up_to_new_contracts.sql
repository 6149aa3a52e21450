-- The contracts counted in daily_activity_summary are exactly the rows of new_contracts.
SELECT d.total AS daily_total, n.total AS new_contracts_rows
FROM (SELECT COALESCE(SUM(contracts), 0) AS total FROM {{ ref('daily_activity_summary') }}) AS d
CROSS JOIN (SELECT COUNT(*) AS total FROM {{ ref('new_contracts') }}) AS n
WHERE d.total <> n.total
