INSERT OR REPLACE INTO cube_store (kind, fingerprint, payload, stored_at) VALUES (?, ?, ?, ?)
