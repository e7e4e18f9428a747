-- Import $1 replaced the demo data (see migration 008).
UPDATE imports SET removed_demo = TRUE WHERE id = ?
