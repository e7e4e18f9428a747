-- Every territory's local paragraph (for the published snapshot).
SELECT level, code, lang, body FROM territory_notes ORDER BY level, code, lang
