-- The old system's report showed activity rows dated months after its run (planned move-ins
-- counted as activity). No row of daily_activity_summary may be dated after as_of_date.
SELECT activity_date, tenant_type
FROM {{ ref('daily_activity_summary') }}
WHERE activity_date > CAST('{{ var("as_of_date") }}' AS DATE)
