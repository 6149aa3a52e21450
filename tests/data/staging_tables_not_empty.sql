-- Each table the warehouse reads must hold rows: an empty one means a broken or partial dump.
SELECT 'apartments' AS source_table FROM (SELECT COUNT(*) AS n FROM {{ source('staging', 'apartments') }}) AS c WHERE c.n = 0
UNION ALL
SELECT 'rooms' FROM (SELECT COUNT(*) AS n FROM {{ source('staging', 'rooms') }}) AS c WHERE c.n = 0
UNION ALL
SELECT 'tenants' FROM (SELECT COUNT(*) AS n FROM {{ source('staging', 'tenants') }}) AS c WHERE c.n = 0
UNION ALL
SELECT 'movings' FROM (SELECT COUNT(*) AS n FROM {{ source('staging', 'movings') }}) AS c WHERE c.n = 0
UNION ALL
SELECT 'inquiries' FROM (SELECT COUNT(*) AS n FROM {{ source('staging', 'inquiries') }}) AS c WHERE c.n = 0
