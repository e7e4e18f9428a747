INSERT INTO imports (id, imported_at, actor, channel, file_name, sha256, n_rows, n_inserted, n_replaced, n_unchanged,
                     is_demo, undoes)
VALUES (?, ?, ?, 'undo', ?, ?, ?, 0, ?, 0, FALSE, ?)
