-- A row exists only for a day and tenant type with at least one non-zero count.
SELECT activity_date, tenant_type
FROM {{ ref('daily_activity_summary') }}
WHERE inquiries = 0 AND applications = 0 AND contracts = 0 AND moveins = 0 AND moveouts = 0
