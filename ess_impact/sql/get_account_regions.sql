-- The regions a regional admin answers for (none: provincial).
SELECT region_code FROM account_regions WHERE email = ? ORDER BY region_code
