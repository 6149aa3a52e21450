-- Zero dates are NULL from silver on.
{%- set checks = [['stg_movings', 'contract_id', ['application_date', 'contract_date', 'movein_date', 'planned_moveout_date', 'moveout_notice_date', 'moveout_date']],
                  ['stg_tenants', 'tenant_id', ['birth_date']],
                  ['stg_apartments', 'apartment_id', ['opened_on', 'closed_on']],
                  ['stg_inquiries', 'inquiry_id', ['inquiry_at']]] %}
{%- for model, key, columns in checks %}
{%- set outer = loop %}
{%- for column in columns %}
SELECT '{{ model }}.{{ column }}' AS field, {{ key }} AS id
FROM {{ ref(model) }}
WHERE CAST({{ column }} AS CHAR) LIKE '0000-00-00%'
{{ 'UNION ALL' if not (outer.last and loop.last) }}
{%- endfor %}
{%- endfor %}
