-- One row per (activity_date, tenant_type) with at least one non-zero count, up to and including
-- as_of_date. Every count is of something that happened on that day: planned dates in the future
-- of the dump (the old system counted planned move-ins as activity) are never counted.
-- The events are a derived table rather than a CTE so that the statement stays plain
-- CREATE TABLE ... SELECT on every server and under any wrapping the engine uses.
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}

SELECT
  activity_date,
  tenant_type,
  CAST(SUM(inquiries) AS SIGNED) AS inquiries,
  CAST(SUM(applications) AS SIGNED) AS applications,
  CAST(SUM(contracts) AS SIGNED) AS contracts,
  CAST(SUM(moveins) AS SIGNED) AS moveins,
  CAST(SUM(moveouts) AS SIGNED) AS moveouts
FROM (
  SELECT inquiry_date AS activity_date, tenant_type,
         1 AS inquiries, 0 AS applications, 0 AS contracts, 0 AS moveins, 0 AS moveouts
  FROM {{ ref('stg_inquiries') }}
  WHERE inquiry_date IS NOT NULL

  UNION ALL
  -- Applications count every application, cancelled ones included.
  SELECT application_date, tenant_type, 0, 1, 0, 0, 0
  FROM {{ ref('int_contracts') }}
  WHERE application_date IS NOT NULL

  UNION ALL
  SELECT contract_date, tenant_type, 0, 0, 1, 0, 0
  FROM {{ ref('int_contracts') }}
  WHERE is_cancelled = 0 AND contract_date IS NOT NULL

  UNION ALL
  SELECT movein_date, tenant_type, 0, 0, 0, 1, 0
  FROM {{ ref('int_contracts') }}
  WHERE is_cancelled = 0 AND movein_date IS NOT NULL

  UNION ALL
  SELECT moveout_date, tenant_type, 0, 0, 0, 0, 1
  FROM {{ ref('int_contracts') }}
  WHERE is_cancelled = 0 AND moveout_date IS NOT NULL
) AS events
WHERE activity_date <= {{ as_of }}
GROUP BY activity_date, tenant_type
