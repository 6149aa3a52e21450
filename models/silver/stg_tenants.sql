-- One row per tenant that is not soft-deleted (is_deleted = 1 rows are dropped here; a NULL flag
-- counts as not deleted). Names trimmed of ASCII and full-width spaces, zero dates NULL, codes
-- cast to integers; gender_type 0 means "not recorded" and becomes NULL like a missing value.
-- email and tel stay in staging: nothing downstream needs them (personal data, kept out of the
-- warehouse).
{%- set text_columns = ['tenant_name', 'tenant_name_kana', 'nationality', 'affiliation_name'] %}
{%- set date_columns = ['birth_date', 'created_at', 'updated_at'] %}

SELECT
  id AS tenant_id,
{%- for c in text_columns %}
  NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM({{ c }})))), '') AS {{ c }},
{%- endfor %}
  NULLIF(CAST(gender_type AS SIGNED), 0) AS gender_type,
  CAST(personal_identity AS SIGNED) AS personal_identity,
  CAST(affiliation_type AS SIGNED) AS affiliation_type,
  CAST(status AS SIGNED) AS status,
{%- for c in date_columns %}
  CASE WHEN CAST({{ c }} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {{ c }} END AS {{ c }}{{ ',' if not loop.last }}
{%- endfor %}
FROM {{ source('staging', 'tenants') }}
WHERE COALESCE(is_deleted, 0) = 0
