-- The figures in force of one enterprise, by year, with the import that recorded each row and the region of its MRC.
SELECT f.*, i.imported_at, i.actor AS imported_by, i.file_name, m.region_code AS region
FROM annual_figures f JOIN imports i ON i.id = f.import_id LEFT JOIN mrc m ON m.code = f.mrc
WHERE f.neq = ?
ORDER BY f.year
