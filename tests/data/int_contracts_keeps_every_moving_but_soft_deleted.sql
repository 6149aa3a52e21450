-- int_contracts has one row per movings row, less exactly the contracts of soft-deleted tenants:
-- no contract is lost to a join and none is duplicated.
SELECT c.total AS int_contracts_rows, m.total AS movings_rows, d.total AS soft_deleted_contracts
FROM (SELECT COUNT(*) AS total FROM {{ ref('int_contracts') }}) AS c
CROSS JOIN (SELECT COUNT(*) AS total FROM {{ ref('stg_movings') }}) AS m
CROSS JOIN (
  SELECT COUNT(*) AS total
  FROM {{ ref('stg_movings') }} AS mv
  WHERE EXISTS (
    SELECT 1 FROM {{ source('staging', 'tenants') }} AS t
    WHERE t.id = mv.tenant_id AND COALESCE(t.is_deleted, 0) <> 0
  )
) AS d
WHERE c.total <> m.total - d.total
