-- A move-out before the move-in is a vendor typo: reported, not fatal.
{{ config(severity='warn') }}
SELECT contract_id, movein_date, moveout_date, tenure_days
FROM {{ ref('moveouts') }}
WHERE tenure_days < 0
