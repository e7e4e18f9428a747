-- Every row of one table (its quoted name formatted in as {table}): the snapshot's copy of a database this process
-- already holds open (publish/snapshot._copy_through).
SELECT * FROM {table}
