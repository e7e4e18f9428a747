INSERT INTO account_regions (email, region_code) VALUES (?, ?)
