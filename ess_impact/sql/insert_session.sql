INSERT INTO sessions (token_sha256, email, created_at, last_seen_at) VALUES (?, ?, ?, ?)
