-- The accounts linked to one NEQ (e-mail, active), whatever their state.
SELECT a.email, a.active FROM account_neqs n JOIN accounts a ON a.email = n.email WHERE n.neq = ? ORDER BY a.email
