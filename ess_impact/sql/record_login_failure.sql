-- Parameters: failures so far (0 when this one locks the account), locked until (or NULL), email.
UPDATE accounts SET failed_logins = ?, locked_until = ? WHERE email = ?
