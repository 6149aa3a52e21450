/**
 * dbt's cross-database macros (`dbt.dateadd`, `dbt.type_string`, ...), written for MySQL 8.0
 * (Aurora MySQL 3) and MariaDB 10.11, as dbt-mysql does for its adapter. They are the `dbt`
 * package of the engine: each is `adapter.dispatch(name, 'dbt')`, so a project (or a package in
 * its `dispatch:` search order) can override one with its own `mysql__<name>` or
 * `default__<name>`. The versions each needs are in the README ("Cross-database macros").
 * What MySQL cannot express is a compile error naming the macro, never SQL that fails later.
 * Kept as TypeScript strings (not .sql files) so the bundled actions carry them.
 * https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros
 */

const dispatched = (name: string, params: string, args = params.replace(/=[^,]+/g, '')) =>
  `{% macro ${name}(${params}) %}{{ return(adapter.dispatch('${name}', 'dbt')(${args})) }}{% endmacro %}\n`;

const unsupported = (name: string, params: string, why: string) =>
  dispatched(name, params) +
  `{% macro mysql__${name}(${params}) %}{{ exceptions.raise_compiler_error("dbt.${name}: ${why} To fix this, override mysql__${name} in the project's macros or avoid it on MySQL.") }}{% endmacro %}\n`;

/** Types as `CAST(... AS <type>)` takes them on both servers (MySQL's CAST knows no VARCHAR, INTEGER or BOOLEAN). */
const TYPES = [
  dispatched('type_string', ''),
  '{% macro mysql__type_string() %}char{% endmacro %}',
  dispatched('type_timestamp', ''),
  '{% macro mysql__type_timestamp() %}datetime{% endmacro %}',
  dispatched('type_float', ''),
  '{% macro mysql__type_float() %}double{% endmacro %}',
  dispatched('type_numeric', ''),
  '{% macro mysql__type_numeric() %}decimal(28,6){% endmacro %}',
  dispatched('type_bigint', ''),
  '{% macro mysql__type_bigint() %}signed{% endmacro %}',
  dispatched('type_int', ''),
  '{% macro mysql__type_int() %}signed{% endmacro %}',
  dispatched('type_boolean', ''),
  '{% macro mysql__type_boolean() %}signed{% endmacro %}',
].join('\n');

const DATES = String.raw`
${dispatched('dateadd', 'datepart, interval, from_date_or_timestamp')}
{% macro mysql__dateadd(datepart, interval, from_date_or_timestamp) -%}
  date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }})
{%- endmacro %}

${dispatched('datediff', 'first_date, second_date, datepart')}
{% macro mysql__datediff(first_date, second_date, datepart) -%}
  {%- set part = datepart | lower -%}
  {%- if part == 'day' -%} datediff({{ second_date }}, {{ first_date }})
  {%- elif part == 'week' -%} floor(datediff({{ second_date }}, {{ first_date }}) / 7)
  {%- elif part == 'month' -%} ((year({{ second_date }}) * 12 + month({{ second_date }})) - (year({{ first_date }}) * 12 + month({{ first_date }})))
  {%- elif part == 'quarter' -%} ((year({{ second_date }}) * 4 + quarter({{ second_date }})) - (year({{ first_date }}) * 4 + quarter({{ first_date }})))
  {%- elif part == 'year' -%} (year({{ second_date }}) - year({{ first_date }}))
  {%- else -%} timestampdiff({{ datepart }}, {{ first_date }}, {{ second_date }})
  {%- endif -%}
{%- endmacro %}

${dispatched('date_trunc', 'datepart, date')}
{% macro mysql__date_trunc(datepart, date) -%}
  {%- set part = datepart | lower -%}
  {%- if part == 'year' -%} cast(date_format({{ date }}, '%Y-01-01') as datetime)
  {%- elif part == 'quarter' -%} cast(makedate(year({{ date }}), 1) + interval (quarter({{ date }}) - 1) quarter as datetime)
  {%- elif part == 'month' -%} cast(date_format({{ date }}, '%Y-%m-01') as datetime)
  {%- elif part == 'week' -%} cast(date({{ date }}) - interval weekday({{ date }}) day as datetime)
  {%- elif part == 'day' -%} cast(date({{ date }}) as datetime)
  {%- elif part == 'hour' -%} cast(date_format({{ date }}, '%Y-%m-%d %H:00:00') as datetime)
  {%- elif part == 'minute' -%} cast(date_format({{ date }}, '%Y-%m-%d %H:%i:00') as datetime)
  {%- elif part == 'second' -%} cast(date_format({{ date }}, '%Y-%m-%d %H:%i:%s') as datetime)
  {%- else -%} {{ exceptions.raise_compiler_error("dbt.date_trunc: '" ~ datepart ~ "' is not a date part MySQL can truncate to (year, quarter, month, week, day, hour, minute, second). To fix this, use one of those.") }}
  {%- endif -%}
{%- endmacro %}

${dispatched('last_day', 'date, datepart')}
{% macro mysql__last_day(date, datepart) -%}
  {%- if datepart | lower == 'month' -%} cast(last_day({{ date }}) as date)
  {%- else -%} cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
  {%- endif -%}
{%- endmacro %}

${dispatched('current_timestamp', '')}
{% macro mysql__current_timestamp() %}current_timestamp(){% endmacro %}
${dispatched('current_timestamp_backcompat', '')}
{% macro mysql__current_timestamp_backcompat() %}current_timestamp(){% endmacro %}
${dispatched('current_timestamp_in_utc_backcompat', '')}
{% macro mysql__current_timestamp_in_utc_backcompat() %}utc_timestamp(){% endmacro %}

${dispatched('date', 'year, month, day')}
{% macro mysql__date(year, month, day) -%}
  cast('{{ year }}-{{ month }}-{{ day }}' as date)
{%- endmacro %}
`;

const STRINGS = String.raw`
${dispatched('concat', 'fields')}
{% macro mysql__concat(fields) %}concat({{ fields | join(', ') }}){% endmacro %}

${dispatched('hash', 'field')}
{% macro mysql__hash(field) %}md5(cast({{ field }} as char)){% endmacro %}

${dispatched('split_part', 'string_text, delimiter_text, part_number')}
{% macro mysql__split_part(string_text, delimiter_text, part_number) -%}
  {%- if part_number | int >= 0 -%}
  substring_index(substring_index({{ string_text }}, {{ delimiter_text }}, {{ part_number }}), {{ delimiter_text }}, -1)
  {%- else -%}
  substring_index(substring_index({{ string_text }}, {{ delimiter_text }}, {{ part_number }}), {{ delimiter_text }}, 1)
  {%- endif -%}
{%- endmacro %}

${dispatched('listagg', `measure, delimiter_text="','", order_by_clause=none, limit_num=none`, 'measure, delimiter_text, order_by_clause, limit_num')}
{% macro mysql__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
  {%- set agg -%} group_concat({{ measure }} {{ order_by_clause or '' }} separator {{ delimiter_text }}) {%- endset -%}
  {%- if limit_num -%} substring_index({{ agg }}, {{ delimiter_text }}, {{ limit_num }}) {%- else -%} {{ agg }} {%- endif -%}
{%- endmacro %}

${dispatched('position', 'substring_text, string_text')}
{% macro mysql__position(substring_text, string_text) %}locate({{ substring_text }}, {{ string_text }}){% endmacro %}

${dispatched('replace', 'field, old_chars, new_chars')}
{% macro mysql__replace(field, old_chars, new_chars) %}replace({{ field }}, {{ old_chars }}, {{ new_chars }}){% endmacro %}

${dispatched('right', 'string_text, length_expression')}
{% macro mysql__right(string_text, length_expression) %}right({{ string_text }}, {{ length_expression }}){% endmacro %}

${dispatched('length', 'expression')}
{% macro mysql__length(expression) %}char_length({{ expression }}){% endmacro %}

${dispatched('string_literal', 'value')}
{% macro mysql__string_literal(value) %}'{{ value | replace("\\", "\\\\") | replace("'", "''") }}'{% endmacro %}

${dispatched('escape_single_quotes', 'expression')}
{% macro mysql__escape_single_quotes(expression) %}{{ expression | replace("'", "''") }}{% endmacro %}

${dispatched('cast_bool_to_text', 'field')}
{% macro mysql__cast_bool_to_text(field) %}case when {{ field }} is null then null when {{ field }} then 'true' else 'false' end{% endmacro %}

${dispatched('safe_cast', 'field, type')}
{% macro mysql__safe_cast(field, type) %}cast({{ field }} as {{ type }}){% endmacro %}

${dispatched('cast', 'field, type')}
{% macro mysql__cast(field, type) %}cast({{ field }} as {{ type }}){% endmacro %}

${dispatched('any_value', 'expression')}
{% macro mysql__any_value(expression) %}min({{ expression }}){% endmacro %}

${dispatched('bool_or', 'expression')}
{% macro mysql__bool_or(expression) %}max({{ expression }}){% endmacro %}

${dispatched('equals', 'expr1, expr2')}
{% macro mysql__equals(expr1, expr2) %}({{ expr1 }} <=> {{ expr2 }}){% endmacro %}

${dispatched('except', '')}
{% macro mysql__except() %}except{% endmacro %}
${dispatched('intersect', '')}
{% macro mysql__intersect() %}intersect{% endmacro %}
`;

const SERIES = String.raw`
${dispatched('get_powers_of_two', 'upper_bound')}
{% macro mysql__get_powers_of_two(upper_bound) -%}
  {%- if upper_bound <= 0 -%}{{ exceptions.raise_compiler_error("dbt.get_powers_of_two: upper bound must be positive") }}{%- endif -%}
  {%- for _ in range(1, 100) -%}{%- if upper_bound <= 2 ** loop.index -%}{{ return(loop.index) }}{%- endif -%}{%- endfor -%}
{%- endmacro %}

${dispatched('generate_series', 'upper_bound')}
{% macro mysql__generate_series(upper_bound) -%}
  {%- set n = dbt.get_powers_of_two(upper_bound) -%}
  with p as (select 0 as generated_number union all select 1), unioned as (
  select
  {% for i in range(n) %} p{{ i }}.generated_number * power(2, {{ i }}){{ ' + ' if not loop.last }}{% endfor %}
  + 1 as generated_number
  from
  {% for i in range(n) %} p as p{{ i }}{{ ',' if not loop.last }}{% endfor %}
  )
  select * from unioned where generated_number <= {{ upper_bound }} order by generated_number
{%- endmacro %}

${dispatched('get_intervals_between', 'start_date, end_date, datepart')}
{% macro mysql__get_intervals_between(start_date, end_date, datepart) -%}
  {%- call statement('get_intervals_between', fetch_result=True) %}
    select {{ dbt.datediff(start_date, end_date, datepart) }}
  {%- endcall -%}
  {%- set value_list = load_result('get_intervals_between') -%}
  {%- if value_list and value_list['data'] -%}{{ return(value_list['data'][0][0] | int) }}{%- else -%}{{ return(1) }}{%- endif -%}
{%- endmacro %}

${dispatched('date_spine', 'datepart, start_date, end_date')}
{% macro mysql__date_spine(datepart, start_date, end_date) -%}
  select * from (
  with rawdata as ({{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart)) }}),
  all_periods as (
    select ({{ dbt.dateadd(datepart, "row_number() over (order by generated_number) - 1", start_date) }}) as date_{{ datepart }}
    from rawdata
  ),
  filtered as (select * from all_periods where date_{{ datepart }} <= {{ end_date }})
  select * from filtered
  ) as date_spine
{%- endmacro %}
`;

const ARRAYS = [
  unsupported('array_construct', 'inputs, data_type', 'MySQL and MariaDB have no array type.'),
  unsupported('array_append', 'array, new_element', 'MySQL and MariaDB have no array type.'),
  unsupported('array_concat', 'array_1, array_2', 'MySQL and MariaDB have no array type.'),
].join('\n');

/** The macro files of the engine's `dbt` package, as the project reader reads macro files. */
export const CROSS_DATABASE_MACROS: readonly { path: string; text: string }[] = [
  { path: 'types.sql', text: TYPES },
  { path: 'dates.sql', text: DATES },
  { path: 'strings.sql', text: STRINGS },
  { path: 'series.sql', text: SERIES },
  { path: 'arrays.sql', text: ARRAYS },
];
