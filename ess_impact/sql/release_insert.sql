-- A release of one year: its record, then a copy of the year's live rows (store/releases.py).
INSERT INTO releases
SELECT coalesce((SELECT max(id) FROM releases), 0) + 1, $year, $now, $actor,
       (SELECT count(*) FROM annual_figures WHERE year = $year), $rules
RETURNING id;
