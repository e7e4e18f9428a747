-- The enterprise-years import $1 wrote and that are still in force.
CREATE OR REPLACE TEMP TABLE staged AS
SELECT neq, year, 'undo' AS status FROM annual_figures WHERE import_id = $1
