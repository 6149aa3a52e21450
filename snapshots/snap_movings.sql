{#- Every version of every contract (dates, cancel flag, rent), versioned by the vendor's updated_at.
    The vendor writes '0000-00-00' for "no date": kept as NULL, as in silver. -#}
{% snapshot snap_movings %}
{{ config(schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
{%- set dates = ['contract_date', 'movein_date', 'planned_moveout_date', 'moveout_notice_date', 'moveout_date', 'updated_at'] %}
select id, tenant_id, apartment_id, room_id, contract_type,
{%- for c in dates %}
       CASE WHEN CAST({{ c }} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {{ c }} END AS {{ c }},
{%- endfor %}
       rent, cancel_flag
from {{ source('staging', 'movings') }}
{% endsnapshot %}
