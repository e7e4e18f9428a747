-- An undo is logged as an import row that names the import it undid.
ALTER TABLE imports ADD COLUMN undoes BIGINT;
