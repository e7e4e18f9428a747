-- The region of an enterprise's latest year (no row: the NEQ is not in the registry).
SELECT m.region_code FROM enterprises e LEFT JOIN mrc m ON m.code = e.mrc WHERE e.neq = ?
