-- Every table, sequence (with its current value), view and macro of the database into the attached backup file,
-- in the caller's transaction: one snapshot. {source} is the database's catalogue name, quoted by the caller
-- (an identifier cannot be a bound parameter).
COPY FROM DATABASE {source} TO ess_backup
