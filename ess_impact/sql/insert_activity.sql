-- One event of the activity log: happened_at, actor, action, target, detail, region code.
INSERT INTO activity (id, happened_at, actor, action, target, detail, region_code)
VALUES (nextval('activity_id_seq'), ?, ?, ?, ?, ?, ?)
