-- What a login needs to know about one account.
SELECT role, password_hash, active, failed_logins, locked_until FROM accounts WHERE email = ?
