-- Keep the versions about to be replaced ($1 = replacing import id, $2 = timestamp).
INSERT INTO annual_figures_history BY NAME
SELECT a.*, $2::TIMESTAMP AS replaced_at, $1::BIGINT AS replaced_by_import_id
FROM annual_figures a
JOIN staged s ON s.neq = a.neq AND s.year = a.year AND s.status = 'changed'
