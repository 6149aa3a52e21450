-- Nothing dated after as_of_date is counted as having happened: no contract signed, no move-out
-- and no notice after the dump's date.
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}
SELECT 'new_contracts' AS model, contract_id, contract_date AS happened_on
FROM {{ ref('new_contracts') }} WHERE contract_date > {{ as_of }}
UNION ALL
SELECT 'moveouts', contract_id, moveout_date
FROM {{ ref('moveouts') }} WHERE moveout_date > {{ as_of }}
UNION ALL
SELECT 'moveout_notices', contract_id, moveout_notice_date
FROM {{ ref('moveout_notices') }} WHERE moveout_notice_date > {{ as_of }}
