-- Every live contract with a notice inside the window is in moveout_notices (the window filter
-- keeps nothing out that belongs in).
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}
SELECT c.contract_id
FROM {{ ref('int_contracts') }} AS c
LEFT JOIN {{ ref('moveout_notices') }} AS n ON n.contract_id = c.contract_id
WHERE c.is_cancelled = 0
  AND c.moveout_notice_date > DATE_SUB({{ as_of }}, INTERVAL 24 MONTH)
  AND c.moveout_notice_date <= {{ as_of }}
  AND n.contract_id IS NULL
