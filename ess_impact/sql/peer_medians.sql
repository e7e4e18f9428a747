-- One enterprise's indicators for a year next to the medians of the OTHER enterprises of its sector (that year) in its
-- MRC, its region and Québec. $neq, $year, $fte_basis, $exclude (the viewer's own NEQs: never in the group, so that
-- changing its own figures cannot move the medians). Each median comes with the number of other enterprises that
-- reported the item (`<item>__n`), so the caller can withhold a median computed over too few of them.
WITH own AS (
    SELECT f.sector, f.mrc, m.region_code FROM annual_figures f JOIN mrc m ON m.code = f.mrc
    WHERE f.neq = $neq AND f.year = $year
), e AS (
    SELECT f.neq, f.mrc, m.region_code,
           f.jobs_full_time + f.jobs_part_time AS jobs_total,
           f.paid_hours / $fte_basis AS fte,
           f.payroll,
           f.revenue_total,
           f.revenue_earned / nullif(f.revenue_total, 0) AS earned_share,
           f.revenue_grants / nullif(f.revenue_total, 0) AS grant_share,
           f.volunteers,
           f.volunteer_hours,
           f.members
    FROM annual_figures f JOIN mrc m ON m.code = f.mrc
    WHERE f.year = $year AND f.sector = (SELECT sector FROM own)
), scoped AS (
    SELECT 'self' AS scope, * FROM e WHERE neq = $neq
    UNION ALL SELECT 'mrc', * FROM e WHERE mrc = (SELECT mrc FROM own) AND NOT list_contains($exclude, neq)
    UNION ALL SELECT 'region', * FROM e WHERE region_code = (SELECT region_code FROM own)
                                          AND NOT list_contains($exclude, neq)
    UNION ALL SELECT 'quebec', * FROM e WHERE NOT list_contains($exclude, neq)
)
SELECT scope, count(*) AS enterprises,
       median(jobs_total) AS jobs_total, count(jobs_total) AS jobs_total__n,
       median(fte) AS fte, count(fte) AS fte__n,
       median(payroll) AS payroll, count(payroll) AS payroll__n,
       median(revenue_total) AS revenue_total, count(revenue_total) AS revenue_total__n,
       median(earned_share) AS earned_share, count(earned_share) AS earned_share__n,
       median(grant_share) AS grant_share, count(grant_share) AS grant_share__n,
       median(volunteers) AS volunteers, count(volunteers) AS volunteers__n,
       median(volunteer_hours) AS volunteer_hours, count(volunteer_hours) AS volunteer_hours__n,
       median(members) AS members, count(members) AS members__n
FROM scoped
GROUP BY scope
