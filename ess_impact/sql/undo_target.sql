-- What undoing import $1 needs to know: is it demo data, itself an undo, already undone, replaced since? "Replaced
-- since": a later import replaced a row it wrote, or wrote a row where the undo would put a previous version back
-- (after a merge, the NEQ merged away may be imported again).
SELECT i.is_demo,
       i.undoes IS NOT NULL AS is_undo,
       EXISTS (SELECT 1 FROM imports u WHERE u.undoes = i.id) AS undone,
       EXISTS (SELECT 1 FROM annual_figures_history h WHERE h.import_id = i.id)
       OR EXISTS (SELECT 1 FROM annual_figures_history h
                  JOIN annual_figures a ON a.neq = h.neq AND a.year = h.year AND a.import_id <> i.id
                  WHERE h.replaced_by_import_id = i.id) AS replaced_later,
       i.file_name, i.sha256, i.removed_demo
FROM imports i
WHERE i.id = ?
