-- One failed login for an e-mail, atomically: count it, lock the e-mail when the count reaches $max_failures (the
-- count restarts), leave a running lock as it is. Returns the count and the lock. Parameters: $email, $now,
-- $max_failures, $locked_until (the end of a lock starting now).
INSERT INTO login_failures AS f (email, failures, locked_until, updated_at) VALUES ($email, 1, NULL, $now)
ON CONFLICT (email) DO UPDATE SET
    failures = CASE WHEN f.locked_until > $now THEN f.failures
                    WHEN f.failures + 1 >= $max_failures THEN 0
                    ELSE f.failures + 1 END,
    locked_until = CASE WHEN f.locked_until > $now THEN f.locked_until
                        WHEN f.failures + 1 >= $max_failures THEN $locked_until
                        ELSE NULL END,
    updated_at = $now
RETURNING failures, locked_until
