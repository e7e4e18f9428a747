-- Sector, MRC and region of one enterprise's row for a year ($1 neq, $2 year), with their names.
SELECT f.sector, s.label_fr, s.label_en, f.mrc, m.name, m.region_code, r.name
FROM annual_figures f
JOIN sectors s ON s.code = f.sector
JOIN mrc m ON m.code = f.mrc
JOIN regions r ON r.code = m.region_code
WHERE f.neq = $1 AND f.year = $2
