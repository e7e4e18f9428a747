-- The tables of one attached database (main schema), by name: what a backup holds and counts.
SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name
