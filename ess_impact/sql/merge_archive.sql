-- Every row in force of the NEQ merged away ($3) goes to the history, replaced by the merge $1 at $2.
INSERT INTO annual_figures_history BY NAME
SELECT a.*, $2::TIMESTAMP AS replaced_at, $1::BIGINT AS replaced_by_import_id
FROM annual_figures a
WHERE a.neq = $3
