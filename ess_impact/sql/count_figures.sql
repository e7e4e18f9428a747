-- How many rows of figures are in force (0: an empty database, as far as figures go).
SELECT count(*) FROM annual_figures
