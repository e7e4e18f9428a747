-- The registry status of one NEQ (no row: active, never changed).
SELECT active, note, changed_at, changed_by FROM enterprise_status WHERE neq = ?
