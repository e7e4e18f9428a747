INSERT INTO account_neqs (email, neq) VALUES (?, ?)
