INSERT INTO import_files (import_id, file_name, size_bytes, content) VALUES (?, ?, ?, ?)
