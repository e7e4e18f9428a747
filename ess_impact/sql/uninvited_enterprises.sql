-- Active enterprises whose latest year lies in one of the regions $regions (a list; NULL = all) and that have no
-- active account linked: the ones to invite. With their latest identity.
SELECT e.neq, e.name, e.mrc, mm.name AS mrc_name, mm.region_code, e.last_year
FROM enterprises e
LEFT JOIN mrc mm ON mm.code = e.mrc
LEFT JOIN enterprise_status s ON s.neq = e.neq
WHERE coalesce(s.active, TRUE)
  AND ($regions::VARCHAR[] IS NULL OR list_contains($regions::VARCHAR[], mm.region_code))
  AND NOT EXISTS (SELECT 1 FROM account_neqs n JOIN accounts a ON a.email = n.email AND a.active
                  WHERE n.neq = e.neq)
ORDER BY mm.region_code, e.name, e.neq
