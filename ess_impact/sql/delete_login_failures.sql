-- A success or a new password clears an e-mail's failures and lock.
DELETE FROM login_failures WHERE email = ?
