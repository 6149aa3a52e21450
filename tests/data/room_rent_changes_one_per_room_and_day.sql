-- room_rent_changes has one row per room and day: a room's price changes at most once a day.
SELECT room_id, changed_on, COUNT(*) AS n
FROM {{ ref('room_rent_changes') }}
GROUP BY room_id, changed_on
HAVING COUNT(*) > 1
