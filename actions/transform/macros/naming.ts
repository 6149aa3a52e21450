/**
 * dbt's default naming macros, in the engine's `dbt` package: `generate_schema_name` (a custom
 * schema becomes `<target schema>_<custom>`), `generate_alias_name` (the alias, else the node's
 * name), `generate_database_name` (the custom database, else the target's); and
 * `snapshot_get_time` (the snapshot's clock). A project or a package overrides one by defining a
 * macro of the same name, as in dbt.
 * Here `target.schema` is the project's logical default schema (`schema:` in pipeline.yml /
 * dbt_project.yml): what the macro returns is a logical schema, and the run's --schema-prefix
 * is applied to it like to every other schema. MySQL has no database above the schema:
 * `target.database` is the target schema (as dbt-mysql requires of a profile's `database`), and
 * a node whose database resolves to anything else is refused (validate-project.ts).
 * https://docs.getdbt.com/docs/build/custom-schemas
 * https://docs.getdbt.com/docs/build/custom-databases
 */
const GENERATE_SCHEMA_NAME = `{% macro generate_schema_name(custom_schema_name, node) -%}
  {{ return(adapter.dispatch('generate_schema_name', 'dbt')(custom_schema_name, node)) }}
{%- endmacro %}
{% macro default__generate_schema_name(custom_schema_name, node) -%}
  {%- set default_schema = target.schema -%}
  {%- if custom_schema_name is none -%}
    {{ default_schema }}
  {%- else -%}
    {{ default_schema }}_{{ custom_schema_name | trim }}
  {%- endif -%}
{%- endmacro %}
`;

const GENERATE_ALIAS_NAME = `{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
  {{ return(adapter.dispatch('generate_alias_name', 'dbt')(custom_alias_name, node)) }}
{%- endmacro %}
{% macro default__generate_alias_name(custom_alias_name=none, node=none) -%}
  {%- if custom_alias_name -%}
    {{ custom_alias_name | trim }}
  {%- else -%}
    {{ node.name }}
  {%- endif -%}
{%- endmacro %}
`;

const GENERATE_DATABASE_NAME = `{% macro generate_database_name(custom_database_name=none, node=none) -%}
  {{ return(adapter.dispatch('generate_database_name', 'dbt')(custom_database_name, node)) }}
{%- endmacro %}
{% macro default__generate_database_name(custom_database_name=none, node=none) -%}
  {%- set default_database = target.database -%}
  {%- if custom_database_name is none -%}
    {{ default_database }}
  {%- else -%}
    {{ custom_database_name | trim }}
  {%- endif -%}
{%- endmacro %}
`;

/** The time of a snapshot's new versions under the check strategy (and of invalidated deletes). */
const SNAPSHOT_GET_TIME = `{% macro snapshot_get_time() -%}
  {{ return(adapter.dispatch('snapshot_get_time', 'dbt')()) }}
{%- endmacro %}
{% macro default__snapshot_get_time() -%}
  current_timestamp()
{%- endmacro %}
`;

export const NAMING_MACROS: readonly { path: string; text: string }[] = [
  { path: 'get_custom_schema.sql', text: GENERATE_SCHEMA_NAME },
  { path: 'get_custom_alias.sql', text: GENERATE_ALIAS_NAME },
  { path: 'get_custom_database.sql', text: GENERATE_DATABASE_NAME },
  { path: 'snapshot_get_time.sql', text: SNAPSHOT_GET_TIME },
];
