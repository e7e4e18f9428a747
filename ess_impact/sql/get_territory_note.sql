SELECT body, updated_at, updated_by FROM territory_notes WHERE level = ? AND code = ? AND lang = ?
