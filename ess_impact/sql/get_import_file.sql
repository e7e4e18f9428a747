-- Who made import $1, and the file it was made from (NULLs when none is kept); no row for an unknown import.
SELECT i.actor, f.file_name, f.content
FROM imports i
LEFT JOIN import_files f ON f.import_id = i.id
WHERE i.id = $1
