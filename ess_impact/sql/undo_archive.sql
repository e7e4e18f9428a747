-- Keep the versions import $3 wrote, replaced by the undo $1 at $2.
INSERT INTO annual_figures_history BY NAME
SELECT a.*, $2::TIMESTAMP AS replaced_at, $1::BIGINT AS replaced_by_import_id
FROM annual_figures a
WHERE a.import_id = $3
