DELETE FROM territory_notes WHERE level = ? AND code = ? AND lang = ?
