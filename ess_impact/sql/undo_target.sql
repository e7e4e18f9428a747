-- What undoing import $1 needs to know: is it demo data, itself an undo, already undone, replaced since?
SELECT i.is_demo,
       i.undoes IS NOT NULL AS is_undo,
       EXISTS (SELECT 1 FROM imports u WHERE u.undoes = i.id) AS undone,
       EXISTS (SELECT 1 FROM annual_figures_history h WHERE h.import_id = i.id) AS replaced_later,
       i.file_name, i.sha256
FROM imports i
WHERE i.id = ?
