DELETE FROM annual_figures a USING staged s
WHERE s.neq = a.neq AND s.year = a.year AND s.status = 'changed'
