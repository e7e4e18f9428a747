-- Unlink every NEQ of one account ($1 e-mail), before linking the new list.
DELETE FROM account_neqs WHERE email = ?
