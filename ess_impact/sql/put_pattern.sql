INSERT OR REPLACE INTO published_patterns (part, inputs, pattern, stored_at) VALUES (?, ?, ?, ?)
