-- Stored total revenue of the given enterprises, every year (for the year-over-year plausibility warning).
SELECT neq, year, revenue_total FROM annual_figures WHERE neq IN (SELECT unnest(?::VARCHAR[]))
