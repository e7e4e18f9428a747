-- Each released year's rules: those of its latest release (JSON; store/releases.py).
SELECT year, rules FROM releases WHERE id IN (SELECT max(id) FROM releases GROUP BY year) ORDER BY year
