-- The enterprises that hold at least one year (figures in force) in the given regions ($1, a list of region codes).
SELECT DISTINCT f.neq FROM annual_figures f JOIN mrc m ON m.code = f.mrc WHERE list_contains($1, m.region_code)
