-- moveout_notices holds only notices in the 24 months up to and including as_of_date:
-- after as_of_date minus 24 months, on or before as_of_date.
{%- set as_of = "CAST('" ~ var('as_of_date') ~ "' AS DATE)" %}
SELECT contract_id, moveout_notice_date
FROM {{ ref('moveout_notices') }}
WHERE moveout_notice_date <= DATE_SUB({{ as_of }}, INTERVAL 24 MONTH)
   OR moveout_notice_date > {{ as_of }}
