-- Issue 14, weight in the territory: a reference table of total employment by MRC (e.g. the census labour force by
-- census division), loaded by an admin with its source. One row per reference (census) year and MRC; a load replaces
-- the years its file holds and keeps the others, so that each data year can use the nearest census year before it.
CREATE TABLE employment_reference (
    ref_year INTEGER NOT NULL,
    mrc_code VARCHAR NOT NULL,
    employed DOUBLE NOT NULL,          -- employed persons (all jobs of the territory's residents)
    employment_income DOUBLE,          -- total employment income ($), when the table has it
    source VARCHAR NOT NULL,           -- the admin's words: table, census, geography
    PRIMARY KEY (ref_year, mrc_code)
);
-- Each load: who, when, which file (name, SHA-256), its source line, the years it brought and how many rows.
CREATE TABLE employment_loads (
    loaded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    years VARCHAR NOT NULL,            -- e.g. '2016,2021'
    n_rows INTEGER NOT NULL
);
