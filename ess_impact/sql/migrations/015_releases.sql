-- Issue 11, versions: the public tables show a year's figures as an admin released them, not as they are after each
-- upload (a reader comparing the pages before and after an upload would otherwise read that enterprise's figures by
-- difference). A release copies the year's rows of annual_figures; the public tables read the latest release of
-- each year (sql/cube.sql, sql/years.sql), the admins' own views the live figures.
CREATE TABLE releases (
    id BIGINT PRIMARY KEY,
    year INTEGER NOT NULL,
    released_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    enterprises INTEGER NOT NULL,
    -- the confidentiality rules the year was released with (JSON: min_count, dominance_share, dominance_n,
    -- p_percent): its tables keep them when the settings change later, since two suppression patterns of the same
    -- figures tell a reader more than one (NULL here: filled with the settings in force by db.ensure_schema)
    rules VARCHAR
);
-- The released rows: annual_figures' columns as they are now, plus the release. A later migration that adds a
-- column to annual_figures adds it here too.
CREATE TABLE released_figures AS SELECT CAST(NULL AS BIGINT) AS release_id, * FROM annual_figures LIMIT 0;
-- A database upgraded to this version published its figures after every write until now: each year it holds is
-- released as it stands, so that its public pages keep showing what they showed.
INSERT INTO releases
SELECT row_number() OVER (ORDER BY year), year, CAST(current_timestamp AS TIMESTAMP), 'system:migration', count(*),
       NULL
FROM annual_figures GROUP BY year;
INSERT INTO released_figures BY NAME
SELECT r.id AS release_id, a.* FROM annual_figures a JOIN releases r ON r.year = a.year;
