SELECT a.email, a.role, a.active, coalesce(string_agg(n.neq, ', ' ORDER BY n.neq), '') AS neqs,
       a.created_at, a.last_login_at, a.locked_until
FROM accounts a LEFT JOIN account_neqs n ON n.email = a.email
GROUP BY ALL
ORDER BY a.role, a.email
