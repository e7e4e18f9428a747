-- The registry: every enterprise with its latest identity, territory, years reported, status and linked accounts.
-- Filters (NULL = any): $1 region code, $2 MRC code, $3 sector code, $4 active flag, $5 one NEQ. The text search is
-- done by the caller (reference.normalize, the same tolerant matching as everywhere).
SELECT e.neq, e.name, e.legal_form, e.sector, e.mrc, m.name AS mrc_name, m.region_code AS region,
       r.name AS region_name, e.first_year, e.last_year, coalesce(s.active, TRUE) AS active,
       s.note AS status_note, s.changed_at AS status_changed_at, s.changed_by AS status_changed_by,
       coalesce((SELECT string_agg(n.email, ', ' ORDER BY n.email) FROM account_neqs n WHERE n.neq = e.neq), '')
           AS accounts
FROM enterprises e
LEFT JOIN mrc m ON m.code = e.mrc
LEFT JOIN regions r ON r.code = m.region_code
LEFT JOIN enterprise_status s ON s.neq = e.neq
WHERE ($1::VARCHAR IS NULL OR m.region_code = $1::VARCHAR)
  AND ($2::VARCHAR IS NULL OR e.mrc = $2::VARCHAR)
  AND ($3::VARCHAR IS NULL OR e.sector = $3::VARCHAR)
  AND ($4::BOOLEAN IS NULL OR coalesce(s.active, TRUE) = $4::BOOLEAN)
  AND ($5::VARCHAR IS NULL OR e.neq = $5::VARCHAR)
ORDER BY e.name, e.neq
