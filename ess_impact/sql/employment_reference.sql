-- The employment reference table in force: one row per reference year and MRC, with its source.
SELECT ref_year, mrc_code, employed, employment_income, source FROM employment_reference ORDER BY ref_year, mrc_code
