-- Ages at signing outside 15..100 are typos in the vendor's birth dates: reported, not fatal.
{{ config(severity='warn') }}
SELECT contract_id, age_at_contract
FROM {{ ref('new_contracts') }}
WHERE age_at_contract < 15 OR age_at_contract > 100
