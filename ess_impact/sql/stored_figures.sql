-- The rows in force of the given NEQs ($1, a list).
SELECT * FROM annual_figures WHERE list_contains($1, neq) ORDER BY neq, year
