INSERT INTO employment_reference (ref_year, mrc_code, employed, employment_income, source) VALUES (?, ?, ?, ?, ?)
