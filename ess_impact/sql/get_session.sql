-- The session of a token hash, with its account's role, only while that account is active.
SELECT s.email, a.role, s.last_seen_at
FROM sessions s JOIN accounts a ON a.email = s.email AND a.active
WHERE s.token_sha256 = ?
