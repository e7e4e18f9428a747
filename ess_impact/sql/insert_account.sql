INSERT INTO accounts (email, role, password_hash, active, created_at, failed_logins) VALUES (?, ?, ?, TRUE, ?, 0)
