-- A one-time link: SHA-256 of its token, e-mail, purpose (invitation | reset), created_at, created_by, expires_at.
INSERT INTO account_links (token_sha256, email, purpose, created_at, created_by, expires_at)
VALUES (?, ?, ?, ?, ?, ?)
