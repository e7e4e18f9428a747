-- A new password also lifts a lock.
UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE email = ?
