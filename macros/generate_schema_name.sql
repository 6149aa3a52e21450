{#-
  The warehouse's schemas are named by their layer: silver, gold, seeds, snapshots (each with the
  run's --schema-prefix). dbt's default would make them `<target schema>_silver`, and with the old
  job's empty target schema that is the `_silver` / `_gold` / `_analytics` the legacy cleanup drops.
  This is dbt's documented fix: a custom schema is used as it is; no custom schema, the target's.
  https://docs.getdbt.com/docs/build/custom-schemas#changing-the-way-dbt-generates-a-schema-name
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}
    {{ target.schema }}
  {%- else -%}
    {{ custom_schema_name | trim }}
  {%- endif -%}
{%- endmacro %}
