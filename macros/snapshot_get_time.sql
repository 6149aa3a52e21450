{#-
  The check snapshots' clock: the run's as_of_date (the dump's day) at 00:00, not the wall clock,
  so a rerun or a late run of a day gives the same history (DOMAIN.md "History"). Without an
  as_of_date, dbt's default (the current time).
-#}
{% macro snapshot_get_time() -%}
  {%- if var('as_of_date', none) -%}
    CAST('{{ var("as_of_date") }}' AS DATETIME)
  {%- else -%}
    current_timestamp()
  {%- endif -%}
{%- endmacro %}
