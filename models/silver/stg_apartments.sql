-- One row per apartment (share house). Names trimmed of ASCII and full-width (U+3000) spaces,
-- zero dates turned into NULL, codes cast to integers.
--
-- Zero dates are compared as text: the models run with MySQL 8.0's sql_mode (NO_ZERO_DATE,
-- STRICT_TRANS_TABLES), where comparing a date with the literal '0000-00-00' warns and, inside
-- CREATE TABLE ... SELECT, fails. https://dev.mysql.com/doc/refman/8.0/en/sql-mode.html#sqlmode_no_zero_date
-- Names are trimmed twice in turn (ASCII, then U+3000) so mixed runs like ' 　 ' go too; TRIM
-- removes one kind of character at a time. https://dev.mysql.com/doc/refman/8.0/en/string-functions.html#function_trim
{%- set text_columns = ['apartment_name', 'apartment_name_en', 'prefecture', 'city', 'address', 'nearest_station'] %}
{%- set date_columns = ['opened_on', 'closed_on', 'created_at', 'updated_at'] %}

SELECT
  id AS apartment_id,
{%- for c in text_columns %}
  NULLIF(TRIM(BOTH '　' FROM TRIM(TRIM(BOTH '　' FROM TRIM({{ c }})))), '') AS {{ c }},
{%- endfor %}
  CAST(total_rooms AS SIGNED) AS total_rooms,
  CAST(status AS SIGNED) AS status,
{%- for c in date_columns %}
  CASE WHEN CAST({{ c }} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {{ c }} END AS {{ c }}{{ ',' if not loop.last }}
{%- endfor %}
FROM {{ source('staging', 'apartments') }}
