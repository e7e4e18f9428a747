-- Years with figures, and how many enterprises reported each.
SELECT year, count(*) AS enterprises FROM annual_figures GROUP BY year ORDER BY year
