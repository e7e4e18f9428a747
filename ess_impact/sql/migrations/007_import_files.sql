-- The original file of each import made from a file (command line, app upload, bulk import), byte for byte, so
-- that what was sent can be downloaded again. Written in the import's transaction; demo data and undos have none.
CREATE TABLE import_files (
    import_id BIGINT PRIMARY KEY,   -- imports.id
    file_name VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    content BLOB NOT NULL
);
