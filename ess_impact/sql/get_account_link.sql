-- A link still usable at $now: its e-mail and purpose (no row: unknown, used, expired, or the account disabled).
SELECT l.email, l.purpose
FROM account_links l JOIN accounts a ON a.email = l.email AND a.active
WHERE l.token_sha256 = $token AND l.used_at IS NULL AND l.expires_at > $now
