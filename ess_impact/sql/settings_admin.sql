SELECT key, value, updated_at, updated_by FROM settings
