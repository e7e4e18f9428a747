-- The backup file being written, attached to the connection that holds the database (path bound).
ATTACH ? AS ess_backup
