-- One table of the snapshot's in-memory copy (its quoted name formatted in as {table}), from the registered rows.
CREATE TABLE {table} AS SELECT * FROM incoming
