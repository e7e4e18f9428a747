-- The figures in force of one enterprise, by year, with the import that recorded each row.
SELECT f.*, i.imported_at, i.actor AS imported_by, i.file_name
FROM annual_figures f JOIN imports i ON i.id = f.import_id
WHERE f.neq = ?
ORDER BY f.year
