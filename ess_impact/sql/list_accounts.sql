-- Every account; `regions` (last, so that the columns before keep their places): a regional admin's region codes.
SELECT a.email, a.role, a.active,
       coalesce((SELECT string_agg(n.neq, ', ' ORDER BY n.neq) FROM account_neqs n WHERE n.email = a.email), '')
           AS neqs,
       a.created_at, a.last_login_at,
       (SELECT any_value(f.locked_until) FROM login_failures f WHERE f.email = a.email AND f.locked_until IS NOT NULL)
           AS locked_until,
       coalesce((SELECT string_agg(r.region_code, ', ' ORDER BY r.region_code) FROM account_regions r
                 WHERE r.email = a.email), '') AS regions
FROM accounts a
ORDER BY a.role, a.email
