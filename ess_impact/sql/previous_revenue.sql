-- Stored total revenue of the given enterprises, every year (for the year-over-year plausibility warning), with the
-- region holding each year.
SELECT f.neq, f.year, f.revenue_total, m.region_code
FROM annual_figures f LEFT JOIN mrc m ON m.code = f.mrc
WHERE f.neq IN (SELECT unnest(?::VARCHAR[]))
