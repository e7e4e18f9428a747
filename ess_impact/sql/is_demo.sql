-- True when at least one figure in force comes from a demo import.
SELECT EXISTS (
    SELECT 1 FROM annual_figures a JOIN imports i ON i.id = a.import_id WHERE i.is_demo
)
