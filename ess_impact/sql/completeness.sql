-- Every enterprise expected to report for $year: those that did (a row for $year), and the active ones (no row in
-- enterprise_status with active = false) that reported in one of the $within years before $year but not for $year.
-- Identity (name, sector, MRC) from the $year row, else from the latest earlier one; e-mails of the active accounts
-- linked to the NEQ. $region / $mrc (codes) restrict to a territory when not NULL.
WITH candidates AS (
    SELECT neq,
           bool_or(year = $year) AS reported,
           max(year) FILTER (WHERE year < $year) AS last_year,
           arg_max(name, year) AS name, arg_max(sector, year) AS sector, arg_max(mrc, year) AS mrc
    FROM annual_figures
    WHERE year BETWEEN $year - $within AND $year
    GROUP BY neq
), emails AS (
    SELECT n.neq, string_agg(a.email, ', ' ORDER BY a.email) AS emails
    FROM account_neqs n JOIN accounts a ON a.email = n.email
    WHERE a.active
    GROUP BY n.neq
)
SELECT c.neq, c.name, c.mrc AS mrc_code, m.name AS mrc_name, m.region_code, r.name AS region_name,
       c.sector AS sector_code, s.label_fr AS sector_fr, s.label_en AS sector_en, c.reported, c.last_year,
       coalesce(e.emails, '') AS emails
FROM candidates c
LEFT JOIN mrc m ON m.code = c.mrc
LEFT JOIN regions r ON r.code = m.region_code
LEFT JOIN sectors s ON s.code = c.sector
LEFT JOIN emails e ON e.neq = c.neq
WHERE (c.reported OR NOT EXISTS (SELECT 1 FROM enterprise_status st WHERE st.neq = c.neq AND NOT st.active))
  AND ($region IS NULL OR m.region_code = $region)
  AND ($mrc IS NULL OR c.mrc = $mrc)
ORDER BY m.region_code, m.name, c.name, c.neq
