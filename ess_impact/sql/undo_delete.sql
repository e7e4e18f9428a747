DELETE FROM annual_figures WHERE import_id = ?
