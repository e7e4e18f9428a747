-- Merging NEQ $2 into NEQ $1: each year of $2, and whether $1 already has that year (then $1's row stays and $2's is
-- only archived; otherwise $2's row moves to $1).
SELECT d.year, k.neq IS NOT NULL AS kept_has_year, d.name, d.legal_form, d.sector, d.mrc, d.jobs_full_time,
       d.jobs_part_time, d.revenue_total, d.volunteer_hours, k.name AS kept_name, k.jobs_full_time AS kept_jobs_full_time,
       k.jobs_part_time AS kept_jobs_part_time, k.revenue_total AS kept_revenue_total,
       k.volunteer_hours AS kept_volunteer_hours
FROM annual_figures d
LEFT JOIN annual_figures k ON k.neq = $1 AND k.year = d.year
WHERE d.neq = $2
ORDER BY d.year
