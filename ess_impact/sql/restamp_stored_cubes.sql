-- Stored cubes computed from the same figures under another data version (a restored database: the backup's figures
-- under a new version) are kept valid under the new fingerprint.
UPDATE cube_store SET fingerprint = ? WHERE fingerprint = ?
