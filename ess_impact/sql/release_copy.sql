-- The rows of a release (store/releases.py): the year's live rows as they are now.
INSERT INTO released_figures BY NAME
SELECT $release AS release_id, a.* FROM annual_figures a WHERE a.year = $year;
