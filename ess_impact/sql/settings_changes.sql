SELECT changed_at, changed_by, item, old_value, new_value FROM settings_changes ORDER BY id DESC LIMIT ?
