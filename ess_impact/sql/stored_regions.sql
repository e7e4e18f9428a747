-- The region holding each stored year of the given NEQs ($1, a list): the region of that year's MRC.
SELECT f.neq, f.year, m.region_code
FROM annual_figures f LEFT JOIN mrc m ON m.code = f.mrc
WHERE list_contains($1, f.neq)
ORDER BY f.neq, f.year
