-- When a session opens: failures not repeated since $before, with no running lock, are forgotten.
DELETE FROM login_failures WHERE updated_at < $before AND (locked_until IS NULL OR locked_until < $now)
