INSERT INTO io_multipliers (ref_year, industry_code, industry_label, multiplier, variable, value) VALUES (?, ?, ?, ?, ?, ?)
