-- Write new and changed rows under import $1.
INSERT INTO annual_figures BY NAME
SELECT neq, year, name, legal_form, sector, mrc, jobs_full_time, jobs_part_time, paid_hours, payroll,
       revenue_total, revenue_earned, revenue_grants, volunteers, volunteer_hours, members,
       expenses_total, revenue_public_contracts, people_served,
       $1::BIGINT AS import_id, source_row
FROM staged
WHERE status IN ('new', 'changed')
