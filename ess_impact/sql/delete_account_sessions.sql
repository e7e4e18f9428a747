DELETE FROM sessions WHERE email = ?
