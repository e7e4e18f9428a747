-- The current registry status of NEQ $1 ($2 active, $3 note, $4 when, $5 who).
INSERT OR REPLACE INTO enterprise_status (neq, active, note, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
