-- Per year (live or released): the live enterprises, the latest release (when, by whom, how many enterprises), and
-- how many enterprises differ between the two (added, removed, or with other figures) — store/releases.py.
WITH latest AS (
    SELECT * FROM releases WHERE id IN (SELECT max(id) FROM releases GROUP BY year)
),
released AS (
    SELECT r.* EXCLUDE (release_id) FROM released_figures r WHERE r.release_id IN (SELECT id FROM latest)
),
live_years AS (SELECT year, count(*) AS enterprises FROM annual_figures GROUP BY year),
changed AS (
    SELECT year, count(DISTINCT neq) AS changed FROM (
        (SELECT * EXCLUDE (import_id, source_row) FROM annual_figures
         EXCEPT SELECT * EXCLUDE (import_id, source_row) FROM released)
        UNION
        (SELECT * EXCLUDE (import_id, source_row) FROM released
         EXCEPT SELECT * EXCLUDE (import_id, source_row) FROM annual_figures)
    ) GROUP BY year
)
SELECT coalesce(l.year, r.year) AS year, coalesce(l.enterprises, 0) AS live_enterprises,
       r.released_at, r.actor AS released_by, r.enterprises AS released_enterprises,
       CASE WHEN r.id IS NULL THEN NULL ELSE coalesce(c.changed, 0) END AS changed_enterprises
FROM live_years l
FULL JOIN latest r ON r.year = l.year
LEFT JOIN changed c ON c.year = coalesce(l.year, r.year)
ORDER BY year
