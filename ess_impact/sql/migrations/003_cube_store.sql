-- Protected (public) cubes kept between runs: protecting a year takes seconds, reading it back milliseconds.
-- `fingerprint` names what a stored cube was computed from (data version, settings, rates, format); a cube whose
-- fingerprint no longer matches is recomputed and replaced. Never a source of truth: it can be emptied any time.
CREATE TABLE cube_store (
    kind VARCHAR PRIMARY KEY,       -- public | panel:YYYY:YYYY
    fingerprint VARCHAR NOT NULL,
    payload BLOB NOT NULL,          -- the cube as Parquet
    stored_at TIMESTAMP NOT NULL
);
