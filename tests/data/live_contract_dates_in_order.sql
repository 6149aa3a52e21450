-- For a live contract the vendor's dates must run application <= contract <= move-in. Missing
-- dates are not compared.
SELECT contract_id, application_date, contract_date, movein_date
FROM {{ ref('int_contracts') }}
WHERE is_cancelled = 0
  AND (application_date > contract_date OR contract_date > movein_date OR application_date > movein_date)
