-- Once a password is set through a link, every other unused link of the account stops working.
UPDATE account_links SET used_at = $now WHERE email = $email AND used_at IS NULL
