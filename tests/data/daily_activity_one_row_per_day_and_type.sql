-- The grain of daily_activity_summary: one row per (activity_date, tenant_type).
SELECT activity_date, tenant_type, COUNT(*) AS n_rows
FROM {{ ref('daily_activity_summary') }}
GROUP BY activity_date, tenant_type
HAVING COUNT(*) > 1
