-- Initial schema. Reference tables are (re)loaded from data/*.csv by ess_impact.db.
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE regions (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, population BIGINT NOT NULL);
CREATE TABLE mrc (
    code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, usual_name VARCHAR NOT NULL, type VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL, population BIGINT NOT NULL, lat DOUBLE, lon DOUBLE
);
CREATE TABLE sectors (code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL);
CREATE TABLE legal_forms (code VARCHAR PRIMARY KEY, label_fr VARCHAR NOT NULL, label_en VARCHAR NOT NULL);

CREATE SEQUENCE import_id_seq START 1;
-- One row per write: who, when, from which file, how many rows.
CREATE TABLE imports (
    id BIGINT PRIMARY KEY,
    imported_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,          -- cli | app | demo
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    n_rows INTEGER NOT NULL,
    n_inserted INTEGER NOT NULL,
    n_replaced INTEGER NOT NULL,
    n_unchanged INTEGER NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE
);

-- Latest known identity of each enterprise (from its most recent year).
CREATE TABLE enterprises (
    neq VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    legal_form VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    mrc VARCHAR NOT NULL,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL
);

-- One row per enterprise and fiscal year: the version in force.
CREATE TABLE annual_figures (
    neq VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    legal_form VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    mrc VARCHAR NOT NULL,
    jobs_full_time INTEGER NOT NULL,
    jobs_part_time INTEGER NOT NULL,
    paid_hours DOUBLE,
    payroll DOUBLE,
    revenue_total DOUBLE NOT NULL,
    revenue_earned DOUBLE,
    revenue_grants DOUBLE,
    volunteers INTEGER,
    volunteer_hours DOUBLE NOT NULL,
    members INTEGER,
    import_id BIGINT NOT NULL,
    source_row INTEGER,
    PRIMARY KEY (neq, year)
);

-- Every version that was replaced by a later import, never deleted.
CREATE TABLE annual_figures_history (
    neq VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    legal_form VARCHAR NOT NULL,
    sector VARCHAR NOT NULL,
    mrc VARCHAR NOT NULL,
    jobs_full_time INTEGER NOT NULL,
    jobs_part_time INTEGER NOT NULL,
    paid_hours DOUBLE,
    payroll DOUBLE,
    revenue_total DOUBLE NOT NULL,
    revenue_earned DOUBLE,
    revenue_grants DOUBLE,
    volunteers INTEGER,
    volunteer_hours DOUBLE NOT NULL,
    members INTEGER,
    import_id BIGINT NOT NULL,
    source_row INTEGER,
    replaced_at TIMESTAMP NOT NULL,
    replaced_by_import_id BIGINT NOT NULL
);

CREATE TABLE settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL
);

-- Hourly value of one volunteer hour (replacement-cost method), by year, with its source.
CREATE TABLE volunteer_rates (year INTEGER PRIMARY KEY, rate DOUBLE NOT NULL, source VARCHAR NOT NULL);
