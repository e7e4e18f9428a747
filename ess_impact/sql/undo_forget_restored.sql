-- The versions back in force are no longer history.
DELETE FROM annual_figures_history WHERE replaced_by_import_id = ?
