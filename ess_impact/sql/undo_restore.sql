-- Put back in force the versions import $1 had replaced, as they were (their own import id and source row).
INSERT INTO annual_figures BY NAME
SELECT neq, year, name, legal_form, sector, mrc, jobs_full_time, jobs_part_time, paid_hours, payroll,
       revenue_total, revenue_earned, revenue_grants, volunteers, volunteer_hours, members,
       expenses_total, revenue_public_contracts, people_served, import_id, source_row
FROM annual_figures_history
WHERE replaced_by_import_id = $1
