-- What a login needs to know about an e-mail: the account (if any: role, hash, active) and the e-mail's lock.
SELECT a.role, a.password_hash, a.active, (SELECT f.locked_until FROM login_failures f WHERE f.email = $email)
FROM (SELECT 1) AS one LEFT JOIN accounts a ON a.email = $email
