-- The activity log an auditor reads: who did what and when, from every journal of the database, latest first.
-- Imports, corrections, merges and undos (imports), settings and rates (settings_changes), status changes
-- (enterprise_status_history), and the events only `activity` records (accounts, logins, links, requests).
-- $since / $until (timestamps, NULL = open). `source` and `ref` say where a row comes from: the import number for an
-- import (a regional admin's view keeps the imports wholly in its regions), the NEQ for a status change.
SELECT * FROM (
    SELECT i.imported_at AS happened_at, i.actor,
           CASE WHEN i.undoes IS NOT NULL THEN 'undo'
                WHEN i.channel = 'registre' THEN 'correction'
                WHEN i.channel = 'fusion' THEN 'merge'
                ELSE 'import' END AS action,
           i.file_name AS target,
           concat('n° ', i.id, ' ', i.channel, ': ', i.n_rows, ' / +', i.n_inserted, ' ~', i.n_replaced,
                  CASE WHEN i.undoes IS NOT NULL THEN concat(' (annule ', i.undoes, ')') ELSE '' END,
                  ' sha256=', i.sha256) AS detail,
           NULL::VARCHAR AS region_code, 'import' AS source, CAST(i.id AS VARCHAR) AS ref
    FROM imports i WHERE NOT i.is_demo
    UNION ALL
    SELECT c.changed_at, c.changed_by, 'setting', c.item,
           concat(coalesce(c.old_value, '—'), ' → ', coalesce(c.new_value, '—')), NULL, 'setting', NULL
    FROM settings_changes c
    UNION ALL
    SELECT h.changed_at, h.changed_by, CASE WHEN h.active THEN 'reactivate' ELSE 'deactivate' END, h.neq, h.note,
           m.region_code, 'status', h.neq
    FROM enterprise_status_history h
    LEFT JOIN enterprises e ON e.neq = h.neq LEFT JOIN mrc m ON m.code = e.mrc
    UNION ALL
    SELECT a.happened_at, a.actor, a.action, a.target, a.detail, a.region_code, 'activity', NULL
    FROM activity a
) log
WHERE ($since::TIMESTAMP IS NULL OR happened_at >= $since::TIMESTAMP)
  AND ($until::TIMESTAMP IS NULL OR happened_at < $until::TIMESTAMP)
ORDER BY happened_at DESC, source, ref DESC
