-- The enterprise-years import $1 wrote and that are still in force ('undo'), and those whose versions it replaced
-- ('restore'): the NEQs of both get their identity rebuilt (a merge moves rows from one NEQ to another).
CREATE OR REPLACE TEMP TABLE staged AS
SELECT neq, year, 'undo' AS status FROM annual_figures WHERE import_id = $1
UNION ALL
SELECT neq, year, 'restore' AS status FROM annual_figures_history WHERE replaced_by_import_id = $1
