-- The submission log, latest first; $1 = an actor's e-mail to see only its submissions, or NULL for all.
-- file_size: the size of the original file kept with the import (NULL when none is kept).
SELECT i.id, i.imported_at, i.actor, i.channel, i.file_name, i.sha256, i.n_rows, i.n_inserted, i.n_replaced,
       i.n_unchanged, i.is_demo, i.undoes, u.id AS undone_by, f.size_bytes AS file_size
FROM imports i
LEFT JOIN imports u ON u.undoes = i.id
LEFT JOIN import_files f ON f.import_id = i.id
WHERE $1::VARCHAR IS NULL OR i.actor = $1::VARCHAR
ORDER BY i.id DESC
