-- No cleaned name starts or ends with an ASCII or a full-width (U+3000) space.
{%- set checks = [['stg_tenants', 'tenant_id', 'tenant_name'], ['stg_tenants', 'tenant_id', 'nationality'],
                  ['stg_apartments', 'apartment_id', 'apartment_name'], ['stg_apartments', 'apartment_id', 'apartment_name_en'],
                  ['stg_rooms', 'room_id', 'room_number'], ['stg_movings', 'contract_id', 'corporate_name']] %}
{%- for model, key, column in checks %}
SELECT '{{ model }}.{{ column }}' AS field, {{ key }} AS id, {{ column }} AS value
FROM {{ ref(model) }}
WHERE {{ column }} LIKE ' %' OR {{ column }} LIKE '% ' OR {{ column }} LIKE '　%' OR {{ column }} LIKE '%　'
{{ 'UNION ALL' if not loop.last }}
{%- endfor %}
