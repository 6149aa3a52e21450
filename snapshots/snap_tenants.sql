{#- Every tenant's status and affiliation over time (DOMAIN.md "History"): a new version when one of
    the checked columns changes; a tenant missing from a later dump is closed. -#}
{% snapshot snap_tenants %}
{{ config(schema='snapshots', unique_key='id', strategy='check',
          check_cols=['status', 'affiliation_type', 'personal_identity', 'is_deleted'], hard_deletes='invalidate') }}
select id, status, affiliation_type, personal_identity, is_deleted
from {{ source('staging', 'tenants') }}
{% endsnapshot %}
