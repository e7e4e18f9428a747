-- The regions each import touched ($1 = one import, or NULL for all): the regions of the rows it wrote (in force or
-- replaced since) and of the rows it replaced (an undo: the rows it removed). A region is that of the row's MRC.
SELECT DISTINCT t.import_id, m.region_code
FROM (SELECT import_id, mrc FROM annual_figures
      UNION ALL SELECT import_id, mrc FROM annual_figures_history
      UNION ALL SELECT replaced_by_import_id AS import_id, mrc FROM annual_figures_history) t
LEFT JOIN mrc m ON m.code = t.mrc
WHERE $1::BIGINT IS NULL OR t.import_id = $1::BIGINT
