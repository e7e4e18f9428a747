-- The multipliers of each of our sectors (its input-output industry), per dollar of output: sector, multiplier
-- (direct | indirect | induced), variable (jobs | gdp | labour_income), value.
SELECT s.sector, m.multiplier, m.variable, m.value
FROM io_sector_map s
JOIN io_multipliers m ON m.industry_code = s.industry_code
ORDER BY s.sector, m.multiplier, m.variable
