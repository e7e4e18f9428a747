-- Settings and volunteer rates changed from the app (issue 4): who changed each rate and when, and a log of every
-- change to a setting or a rate (a deleted rate leaves its trace there).
ALTER TABLE volunteer_rates ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE volunteer_rates ADD COLUMN updated_by VARCHAR;
UPDATE volunteer_rates SET updated_by = 'défaut' WHERE updated_by IS NULL;

CREATE SEQUENCE settings_change_seq START 1;
CREATE TABLE settings_changes (
    id BIGINT PRIMARY KEY,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL,
    item VARCHAR NOT NULL,          -- a setting's key, or volunteer_rate:YYYY
    old_value VARCHAR,              -- NULL: added
    new_value VARCHAR               -- NULL: deleted
);
