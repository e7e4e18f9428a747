-- The identity of each staged enterprise is that of its latest year in force.
DELETE FROM enterprises WHERE neq IN (SELECT neq FROM staged);
INSERT INTO enterprises
SELECT neq, arg_max(name, year), arg_max(legal_form, year), arg_max(sector, year), arg_max(mrc, year),
       min(year), max(year)
FROM annual_figures
WHERE neq IN (SELECT neq FROM staged)
GROUP BY neq;
