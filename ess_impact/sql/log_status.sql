-- Every status change is kept ($1 neq, $2 active, $3 note, $4 when, $5 who).
INSERT INTO enterprise_status_history (neq, active, note, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
