-- Spend a link (single use, atomically): the e-mail it was for, only if it was still usable at $now.
UPDATE account_links SET used_at = $now
WHERE token_sha256 = $token AND used_at IS NULL AND expires_at > $now
RETURNING email, purpose
