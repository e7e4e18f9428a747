-- Releases recorded without their rules (migration 015: the years an upgraded database held) get the settings in
-- force (db.ensure_schema).
UPDATE releases SET rules = $rules WHERE rules IS NULL
