SELECT a.email, a.role, a.active, coalesce(string_agg(n.neq, ', ' ORDER BY n.neq), '') AS neqs,
       a.created_at, a.last_login_at, any_value(f.locked_until) AS locked_until
FROM accounts a LEFT JOIN account_neqs n ON n.email = a.email
LEFT JOIN login_failures f ON f.email = a.email AND f.locked_until IS NOT NULL
GROUP BY a.email, a.role, a.active, a.created_at, a.last_login_at
ORDER BY a.role, a.email
