-- Every status change of one NEQ, latest first.
SELECT active, note, changed_at, changed_by FROM enterprise_status_history WHERE neq = ? ORDER BY changed_at DESC
