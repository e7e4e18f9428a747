-- The NEQ merged away leaves the figures in force (its rows are in the history, some moved to the kept NEQ).
DELETE FROM annual_figures WHERE neq = ?
