-- An invited enterprise account: active, with a random password nobody knows until the link sets one.
INSERT INTO accounts (email, role, password_hash, active, created_at) VALUES (?, 'entreprise', ?, TRUE, ?)
