-- Issue 11, versions: the suppression pattern each part of the public tables was last published with (a released
-- year's tables: 'year:2024'; one year of a constant-sample pair: 'panel:2023-2024:2024'). A part protected again (a
-- new version of the engine, a new FTE basis) starts from this pattern and hides at least what it hid, so that a
-- reader who kept both versions learns nothing the later one does not show (publish/indicators.py). Unlike
-- cube_store, this table is a record, not a cache: emptying it loses that guarantee for the parts published so far.
CREATE TABLE published_patterns (
    part VARCHAR PRIMARY KEY,
    inputs VARCHAR NOT NULL,       -- what the pattern was computed from (engine format, rules, true cubes)
    pattern BLOB NOT NULL,         -- Parquet: cell, suppressed (the hidden columns, comma-separated)
    stored_at TIMESTAMP NOT NULL
);
