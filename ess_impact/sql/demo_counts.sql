-- Demo figures in force: enterprise-years and enterprises (what switching to real data removes).
SELECT count(*), count(DISTINCT a.neq)
FROM annual_figures a JOIN imports i ON i.id = a.import_id
WHERE i.is_demo
