INSERT OR IGNORE INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, 'défaut')
