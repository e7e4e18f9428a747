INSERT INTO territory_notes (level, code, lang, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (level, code, lang) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
                                             updated_by = excluded.updated_by
