-- Compare the rows of one file (registered as `incoming`) with the version in force: new, same or changed.
CREATE OR REPLACE TEMP TABLE staged AS
SELECT
    i.*,
    CASE
        WHEN a.neq IS NULL THEN 'new'
        WHEN a.name IS NOT DISTINCT FROM i.name
         AND a.legal_form IS NOT DISTINCT FROM i.legal_form
         AND a.sector IS NOT DISTINCT FROM i.sector
         AND a.mrc IS NOT DISTINCT FROM i.mrc
         AND a.jobs_full_time IS NOT DISTINCT FROM i.jobs_full_time
         AND a.jobs_part_time IS NOT DISTINCT FROM i.jobs_part_time
         AND a.paid_hours IS NOT DISTINCT FROM i.paid_hours
         AND a.payroll IS NOT DISTINCT FROM i.payroll
         AND a.revenue_total IS NOT DISTINCT FROM i.revenue_total
         AND a.revenue_earned IS NOT DISTINCT FROM i.revenue_earned
         AND a.revenue_grants IS NOT DISTINCT FROM i.revenue_grants
         AND a.volunteers IS NOT DISTINCT FROM i.volunteers
         AND a.volunteer_hours IS NOT DISTINCT FROM i.volunteer_hours
         AND a.members IS NOT DISTINCT FROM i.members
         AND a.expenses_total IS NOT DISTINCT FROM i.expenses_total
         AND a.revenue_public_contracts IS NOT DISTINCT FROM i.revenue_public_contracts
         AND a.people_served IS NOT DISTINCT FROM i.people_served
        THEN 'same'
        ELSE 'changed'
    END AS status
FROM incoming i
LEFT JOIN annual_figures a ON a.neq = i.neq AND a.year = i.year
