{#- Every room's price and status over time (DOMAIN.md "History"). -#}
{% snapshot snap_rooms %}
{{ config(schema='snapshots', unique_key='id', strategy='check',
          check_cols=['rent', 'common_fee', 'status'], hard_deletes='invalidate') }}
select id, apartment_id, room_number, rent, common_fee, status
from {{ source('staging', 'rooms') }}
{% endsnapshot %}
