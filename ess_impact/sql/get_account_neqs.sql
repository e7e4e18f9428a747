SELECT neq FROM account_neqs WHERE email = ? ORDER BY neq
