-- The submission log, latest first; $1 = an actor's e-mail to see only its submissions, or NULL for all.
SELECT i.id, i.imported_at, i.actor, i.channel, i.file_name, i.sha256, i.n_rows, i.n_inserted, i.n_replaced,
       i.n_unchanged, i.is_demo, i.undoes, u.id AS undone_by
FROM imports i
LEFT JOIN imports u ON u.undoes = i.id
WHERE $1::VARCHAR IS NULL OR i.actor = $1::VARCHAR
ORDER BY i.id DESC
