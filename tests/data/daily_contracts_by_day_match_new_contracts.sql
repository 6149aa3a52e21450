-- Day by day and tenant type by tenant type, daily contracts equal new_contracts rows.
WITH n AS (
  SELECT contract_date AS activity_date, tenant_type, COUNT(*) AS contracts
  FROM {{ ref('new_contracts') }}
  GROUP BY contract_date, tenant_type
)
SELECT d.activity_date, d.tenant_type, d.contracts, n.contracts AS new_contracts_rows
FROM {{ ref('daily_activity_summary') }} AS d
LEFT JOIN n ON n.activity_date = d.activity_date AND n.tenant_type = d.tenant_type
WHERE d.contracts <> COALESCE(n.contracts, 0)
UNION ALL
SELECT n.activity_date, n.tenant_type, NULL, n.contracts
FROM n
LEFT JOIN {{ ref('daily_activity_summary') }} AS d
  ON d.activity_date = n.activity_date AND d.tenant_type = n.tenant_type
WHERE d.activity_date IS NULL
