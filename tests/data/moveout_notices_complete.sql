-- Every live contract with a notice inside the window is in moveout_notices (the window filter
-- keeps nothing out that belongs in), and nothing else is. A grouped UNION ALL, not a join
-- (see daily_contracts_by_day_match_new_contracts).
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}
SELECT contract_id, SUM(expected) AS expected, SUM(published) AS published
FROM (
  SELECT contract_id, 1 AS expected, 0 AS published
  FROM {{ ref('int_contracts') }}
  WHERE is_cancelled = 0
    AND moveout_notice_date > DATE_SUB({{ as_of }}, INTERVAL 24 MONTH)
    AND moveout_notice_date <= {{ as_of }}
  UNION ALL
  SELECT contract_id, 0, 1
  FROM {{ ref('moveout_notices') }}
) AS both_sides
GROUP BY contract_id
HAVING SUM(expected) <> SUM(published)
