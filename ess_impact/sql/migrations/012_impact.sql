-- Issue 14 (from size to impact): three optional columns of the annual figures, the specialised volunteer rate
-- beside the minimum-wage one, and Statistics Canada's input-output multipliers (table 36-10-0595-01) as loaded.
ALTER TABLE annual_figures ADD COLUMN expenses_total DOUBLE;
ALTER TABLE annual_figures ADD COLUMN revenue_public_contracts DOUBLE;
ALTER TABLE annual_figures ADD COLUMN people_served BIGINT;
ALTER TABLE annual_figures_history ADD COLUMN expenses_total DOUBLE;
ALTER TABLE annual_figures_history ADD COLUMN revenue_public_contracts DOUBLE;
ALTER TABLE annual_figures_history ADD COLUMN people_served BIGINT;

-- The high end of the value of volunteering: the hourly wage of the work volunteers do, by year, with its source
-- (a source code of the text catalogue, '@…', or the admin's own words). NULL: not set for that year.
ALTER TABLE volunteer_rates ADD COLUMN rate_high DOUBLE;
ALTER TABLE volunteer_rates ADD COLUMN source_high VARCHAR;

-- Input-output multipliers of Québec, one row per reference year, industry, multiplier type and variable.
-- `value` is per dollar of output for GDP and labour income, per dollar of output for jobs too (the file's jobs per
-- million dollars divided by 1 000 000), after SCALAR_FACTOR. Replaced whole by each load.
CREATE TABLE io_multipliers (
    ref_year INTEGER NOT NULL,
    industry_code VARCHAR NOT NULL,     -- the code in brackets in the Industry label, e.g. BS624000
    industry_label VARCHAR NOT NULL,
    multiplier VARCHAR NOT NULL,        -- direct | indirect | induced
    variable VARCHAR NOT NULL,          -- jobs | gdp | labour_income
    value DOUBLE NOT NULL,
    PRIMARY KEY (ref_year, industry_code, multiplier, variable)
);
-- Each load: who, when, which file, which reference year, how many rows kept (the source and licence line shown
-- under every spin-off figure comes from here).
CREATE TABLE io_multiplier_loads (
    loaded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    ref_year INTEGER NOT NULL,
    n_rows INTEGER NOT NULL
);
-- Our sectors -> the input-output industry of each, as resolved against the loaded table (from
-- ess_impact/data/sector_io_industries.csv or an admin's own mapping file).
CREATE TABLE io_sector_map (sector VARCHAR PRIMARY KEY, industry_code VARCHAR NOT NULL);
