UPDATE accounts SET active = FALSE WHERE email = ?
