-- Day by day and tenant type by tenant type, daily contracts equal new_contracts rows.
-- Written as one grouped UNION ALL rather than a join: neither table has an index, and a join
-- of two unindexed tables is a nested loop on MariaDB.
SELECT activity_date, tenant_type, SUM(daily_contracts) AS daily_contracts, SUM(new_contracts_rows) AS new_contracts_rows
FROM (
  SELECT activity_date, tenant_type, contracts AS daily_contracts, 0 AS new_contracts_rows
  FROM {{ ref('daily_activity_summary') }}
  UNION ALL
  SELECT contract_date, tenant_type, 0, 1
  FROM {{ ref('new_contracts') }}
) AS both_sides
GROUP BY activity_date, tenant_type
HAVING SUM(daily_contracts) <> SUM(new_contracts_rows)
