-- Rows of one table of an attached database; {table} is its qualified name from DuckDB's catalogue, quoted by the
-- caller (an identifier cannot be a bound parameter).
SELECT count(*) FROM {table}
