-- changed_at, changed_by, item (a setting's key or volunteer_rate:YYYY), old value (NULL: added), new (NULL: deleted)
INSERT INTO settings_changes (id, changed_at, changed_by, item, old_value, new_value)
VALUES (nextval('settings_change_seq'), ?, ?, ?, ?, ?)
